using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Grape.Core.Points;

/// <summary>
/// The vectors of a point that has only the unnamed one (<see cref="PointStruct.DefaultVector"/>): a map of one entry
/// without a dictionary behind it, which a write reads without enumerating. Most points of most collections are this.
/// </summary>
internal sealed class UnnamedVectorMap(Vector vector) : IReadOnlyDictionary<string, Vector>
{
    public Vector Vector { get; } = vector ?? throw new ArgumentNullException(nameof(vector));

    public int Count => 1;

    public Vector this[string key] => ContainsKey(key) ? Vector : throw new KeyNotFoundException($"The point has no vector named `{key}`.");

    public IEnumerable<string> Keys => [PointStruct.DefaultVector];

    public IEnumerable<Vector> Values => [Vector];

    public bool ContainsKey(string key) => key == PointStruct.DefaultVector;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Vector value)
    {
        value = ContainsKey(key) ? Vector : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, Vector>> GetEnumerator()
    {
        yield return new(PointStruct.DefaultVector, Vector);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
