namespace Grape.Core.Distances;

/// <summary>
/// A similarity (higher is better) between two vectors in a column's stored form: <c>dimension</c> components of the
/// column's datatype at each address (the query converted to that form once per search). The seam that lets one graph
/// and scan loop serve float32, float16 and uint8 columns: the loops are generic over this struct, the JIT specializes
/// them per datatype and distance, and the float32 case inlines to the float kernel exactly as before.
/// </summary>
internal unsafe interface IStoredSimilarity
{
    static abstract float Similarity(byte* query, byte* stored, int dimension);
}
