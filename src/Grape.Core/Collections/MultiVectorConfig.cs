namespace Grape.Core.Collections;

/// <summary>How the sub-vectors of two multivectors are compared (Qdrant's <c>MultiVectorComparator</c>).</summary>
public enum MultiVectorComparator
{
    /// <summary>For each query sub-vector, the best similarity over the stored sub-vectors; the sum of those (late
    /// interaction, as in ColBERT).</summary>
    MaxSim,
}

/// <summary>
/// Makes a vector a multivector (Qdrant's <c>multivector_config</c>): each point stores a list of one or more
/// sub-vectors of the vector's size, compared with <see cref="Comparator"/>.
/// </summary>
public sealed record MultiVectorConfig(MultiVectorComparator Comparator = MultiVectorComparator.MaxSim);
