namespace Grape.Core.Indexing.Hnsw;

/// <summary>A graph node with its distance to the query (lower is nearer: minus the similarity).</summary>
internal readonly record struct NodeDistance(float Distance, uint Node);
