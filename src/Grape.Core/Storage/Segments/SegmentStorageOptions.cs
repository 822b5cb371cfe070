namespace Grape.Core.Storage.Segments;

/// <summary>
/// Sizes of a segment's growth units. The defaults suit production; tests shrink them to cross many chunks with few
/// points. Chunk sizes of a created segment are recorded in its manifest, so reopening never depends on these values
/// except <see cref="SlotChunkShift"/> (in-memory only).
/// </summary>
internal sealed record SegmentStorageOptions
{
    public static SegmentStorageOptions Default { get; } = new();

    /// <summary>Target bytes of one vector chunk of an appendable column (rounded down to a power-of-two number of
    /// vectors). 32 MiB keeps the number of mappings small (32 per GiB) while a fresh segment's sparse file stays modest.</summary>
    public int VectorChunkBytes { get; init; } = 32 << 20;

    /// <summary>Bytes of one payload chunk (a power of two); a larger payload gets a view of several chunks.</summary>
    public int PayloadChunkBytes { get; init; } = 32 << 20;

    /// <summary>log2 of the slots per chunk of the in-memory per-slot arrays (ids, versions, payload refs, bits).</summary>
    public int SlotChunkShift { get; init; } = 14;
}
