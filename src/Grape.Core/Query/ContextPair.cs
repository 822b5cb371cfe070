namespace Grape.Core.Query;

/// <summary>A pair of examples splitting the space into a preferred side (<see cref="Positive"/>) and an avoided one.</summary>
public sealed record ContextPair(VectorInput Positive, VectorInput Negative);
