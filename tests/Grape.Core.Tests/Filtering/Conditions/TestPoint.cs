using System.Text;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Points;

namespace Grape.Core.Tests.Filtering.Conditions;

/// <summary>A point for filter tests: an id, a payload as JSON text, and the names of the vectors it has.</summary>
internal readonly struct TestPoint(PointId id, string? json, params string[] vectors) : IFilterablePoint
{
    private readonly byte[] _payload = json is null ? [] : Encoding.UTF8.GetBytes(json);

    public PointId Id => id;
    public ReadOnlySpan<byte> PayloadJson => _payload;
    public bool HasVector(string name) => Array.IndexOf(vectors, name) >= 0;

    /// <summary>Payload JSON with single quotes for readability in tables: <c>{'a':1}</c>.</summary>
    public static TestPoint Of(string json) => new(1UL, json.Replace('\'', '"'));
}
