using Grape.Core.Indexing.Payload;

namespace Grape.Core.Storage.Segments;

internal sealed partial class Segment
{
    private SegmentPayloadIndex _payloadIndex = new();

    /// <summary>The segment's field indexes (read lock-free; changed only by the writer).</summary>
    public SegmentPayloadIndex PayloadIndex => _payloadIndex;

    /// <summary>
    /// Writer: builds the index of <paramref name="key"/> over every slot (live or not: slots never change, deleted
    /// ones are skipped by readers) and publishes it whole. Keeps an existing index of the same schema.
    /// </summary>
    public void CreateFieldIndex(string key, PayloadFieldSchema schema)
    {
        if (_payloadIndex.Find(key) is { } existing && existing.Schema == schema) return;
        var index = FieldIndexFactory.Create(key, schema);
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int n = _slotCount;
            for (uint off = 0; off < (uint)n; off++) index.Add(off, _payload.Get(off));
            _payloadIndex.Put(index);
        }
    }

    /// <summary>Writer: drops the index of <paramref name="key"/>; false if there was none.</summary>
    public bool DeleteFieldIndex(string key)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _payloadIndex.Remove(key);
        }
    }
}
