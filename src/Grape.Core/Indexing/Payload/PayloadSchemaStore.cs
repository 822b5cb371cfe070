using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// A collection's payload schema (field key → index schema): what every segment indexes. Changed only under the
/// shard's write lock, when an index operation is applied; each change is handed to <c>persist</c> (the collection
/// writes it into its config) before the call returns. Readers take the current map without a lock.
/// </summary>
internal sealed class PayloadSchemaStore(IReadOnlyDictionary<string, PayloadFieldSchema>? initial = null,
    Action<IReadOnlyDictionary<string, PayloadFieldSchema>>? persist = null)
{
    private ImmutableDictionary<string, PayloadFieldSchema> _current =
        (initial ?? ImmutableDictionary<string, PayloadFieldSchema>.Empty).ToImmutableDictionary(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PayloadFieldSchema, TextTokenizer> _tokenizers = new();

    public IReadOnlyDictionary<string, PayloadFieldSchema> Current => Volatile.Read(ref _current);

    public void Set(string key, PayloadFieldSchema schema)
    {
        var next = _current.SetItem(key, schema);
        persist?.Invoke(next);
        Volatile.Write(ref _current, next);
    }

    public void Remove(string key)
    {
        if (!_current.ContainsKey(key)) return;
        var next = _current.Remove(key);
        persist?.Invoke(next);
        Volatile.Write(ref _current, next);
    }

    /// <summary>The tokenizer of the text index on <paramref name="key"/>, or null (for the filter compiler).</summary>
    public TextTokenizer? TextTokenizer(string key) =>
        Current.TryGetValue(key, out var schema) && schema.Type == PayloadSchemaType.Text
            ? _tokenizers.GetOrAdd(schema, static s => new TextTokenizer(s.Params))
            : null;
}
