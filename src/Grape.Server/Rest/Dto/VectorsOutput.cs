using Grape.Core.Points;

namespace Grape.Server.Rest.Dto;

/// <summary>A point's vectors as Qdrant prints them: a bare array for the unnamed vector, else an object by name.</summary>
internal sealed class VectorsOutput(IReadOnlyDictionary<string, Vector> vectors)
{
    public IReadOnlyDictionary<string, Vector> Vectors { get; } = vectors;
}
