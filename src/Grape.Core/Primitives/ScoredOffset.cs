namespace Grape.Core.Primitives;

/// <summary>A slot of a segment with its similarity (higher is better).</summary>
internal readonly record struct ScoredOffset(uint Offset, float Score);
