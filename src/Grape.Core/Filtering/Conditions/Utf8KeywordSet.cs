using System.IO.Hashing;

namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// A set of UTF-8 keywords probed with payload bytes, no decoding or allocation per probe. Small sets are scanned
/// (faster below about a dozen entries, as Qdrant measured); larger ones are looked up by hash.
/// </summary>
internal sealed class Utf8KeywordSet
{
    private const int ScanLimit = 13;
    private readonly byte[][] _keywords;   // sorted by _hashes when hashed
    private readonly ulong[]? _hashes;

    public Utf8KeywordSet(IEnumerable<string> keywords)
    {
        var distinct = new HashSet<string>(keywords, StringComparer.Ordinal);
        _keywords = new byte[distinct.Count][];
        int i = 0;
        foreach (var k in distinct) _keywords[i++] = System.Text.Encoding.UTF8.GetBytes(k);
        if (_keywords.Length >= ScanLimit)
        {
            _hashes = new ulong[_keywords.Length];
            for (i = 0; i < _keywords.Length; i++) _hashes[i] = XxHash3.HashToUInt64(_keywords[i]);
            Array.Sort(_hashes, _keywords);
        }
    }

    public int Count => _keywords.Length;

    public bool Contains(ReadOnlySpan<byte> value)
    {
        if (_hashes is null)
        {
            foreach (var k in _keywords)
                if (value.SequenceEqual(k)) return true;
            return false;
        }
        ulong h = XxHash3.HashToUInt64(value);
        int i = Array.BinarySearch(_hashes, h);
        if (i < 0) return false;
        while (i > 0 && _hashes[i - 1] == h) i--;
        for (; i < _hashes.Length && _hashes[i] == h; i++)
            if (value.SequenceEqual(_keywords[i])) return true;
        return false;
    }
}
