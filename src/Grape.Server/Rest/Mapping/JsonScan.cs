using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;

namespace Grape.Server.Rest.Mapping;

/// <summary>
/// Forward scanning of request bytes for the hot-path readers (<see cref="UpsertStreamReader"/>,
/// <see cref="SearchStreamReader"/>): RFC 8259 whitespace, delimiters, literals, plain ASCII keys, numbers and
/// dense vectors, each checked strictly. A scan that meets anything else answers false (or null) so the caller hands
/// the body to the document mapper, which then gives the answer or the error.
/// </summary>
internal static class JsonScan
{
    /// <summary>Powers of ten that are exact doubles (10^22 is the largest).</summary>
    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>10^0..10^8 as integers.</summary>
    private static readonly ulong[] Pow10Integer = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>A non-empty list of JSON numbers finite as f32, at <c>[</c>; null for anything else (a multivector's
    /// first element is a list, so multivectors go to the mapper too).</summary>
    public static float[]? ReadDense(ReadOnlySpan<byte> s, ref int i, ref float[] scratch)
    {
        // The list's commas and its closing bracket are found 64 bytes at a time; each number then lies between two
        // known places, so reading one does not wait for the end of the one before it (the position no longer runs
        // through every number's length), and consecutive numbers are read in parallel by the core.
        ref byte b = ref MemoryMarshal.GetReference(s);
        int start = i + 1; // past '['
        int n = 0;
        for (int block = start; block < s.Length; block += 64)
        {
            Delimiters(s, block, out ulong commas, out ulong closes);
            ulong before = closes == 0 ? ulong.MaxValue : (closes & (0UL - closes)) - 1; // the bits before the first ']'
            for (ulong m = commas & before; m != 0; m &= m - 1)
            {
                int stop = block + BitOperations.TrailingZeroCount(m);
                if (!ReadComponent(s, ref b, start, stop, out float f)) return null;
                if (n == scratch.Length) Array.Resize(ref scratch, scratch.Length * 2);
                scratch[n++] = f;
                start = stop + 1;
            }
            if (closes != 0)
            {
                int stop = block + BitOperations.TrailingZeroCount(closes);
                if (!ReadComponent(s, ref b, start, stop, out float f)) return null;
                if (n == scratch.Length) Array.Resize(ref scratch, scratch.Length * 2);
                scratch[n++] = f;
                i = stop + 1;
                return scratch.AsSpan(0, n).ToArray();
            }
        }
        return null;
    }

    /// <summary>Bit k of <paramref name="commas"/> and <paramref name="closes"/>: byte <c>block + k</c> is ',' or ']' (bytes past the end: neither).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Delimiters(ReadOnlySpan<byte> s, int block, out ulong commas, out ulong closes)
    {
        ref byte b = ref MemoryMarshal.GetReference(s);
        if (s.Length - block >= 64)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var v = Vector512.LoadUnsafe(ref b, (nuint)block);
                commas = Vector512.Equals(v, Vector512.Create((byte)',')).ExtractMostSignificantBits();
                closes = Vector512.Equals(v, Vector512.Create((byte)']')).ExtractMostSignificantBits();
                return;
            }
            if (Vector256.IsHardwareAccelerated)
            {
                var lo = Vector256.LoadUnsafe(ref b, (nuint)block);
                var hi = Vector256.LoadUnsafe(ref b, (nuint)block + 32);
                commas = Vector256.Equals(lo, Vector256.Create((byte)',')).ExtractMostSignificantBits()
                    | ((ulong)Vector256.Equals(hi, Vector256.Create((byte)',')).ExtractMostSignificantBits() << 32);
                closes = Vector256.Equals(lo, Vector256.Create((byte)']')).ExtractMostSignificantBits()
                    | ((ulong)Vector256.Equals(hi, Vector256.Create((byte)']')).ExtractMostSignificantBits() << 32);
                return;
            }
        }
        commas = closes = 0;
        for (int k = 0, end = Math.Min(64, s.Length - block); k < end; k++)
        {
            byte c = s[block + k];
            if (c == (byte)',') commas |= 1UL << k;
            else if (c == (byte)']') closes |= 1UL << k;
        }
    }

    /// <summary>The list element between <paramref name="start"/> and the delimiter at <paramref name="stop"/>: one
    /// JSON number with optional whitespace around it, finite as f32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadComponent(ReadOnlySpan<byte> s, ref byte b, int start, int stop, out float f)
    {
        double d;
        if (stop - start > 15 || start > s.Length - Vector128<byte>.Count || !ShortDecimal(ref b, start, stop - start, out d))
        {
            // Whitespace skipping stops at the delimiter at stop at the latest.
            int p = start;
            SkipWhitespace(s, ref p);
            if (!TryReadNumber(s, ref p, out d, out _)) { f = 0; return false; }
            SkipWhitespace(s, ref p);
            if (p != stop) { f = 0; return false; }
        }
        f = (float)d; // narrowed as the mapper does; must stay finite
        return float.IsFinite(f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWhitespace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>
    /// A JSON number (RFC 8259 grammar, checked here, followed by whitespace, a delimiter or the end) parsed to the
    /// correctly rounded double, the value <see cref="JsonElement.TryGetDouble"/> gives. <paramref name="fast"/> tells
    /// whether Clinger's fast path applied: at most 19 significant digits forming an integer w ≤ 2^53 and a decimal
    /// exponent within ±22, where w and 10^|e| are exact doubles and one IEEE multiply or divide is correctly rounded.
    /// Shortest round-trip f32 text (what clients send for embeddings) takes it; zero and long or far numbers go to
    /// <see cref="Utf8Parser"/>, as in the document.
    /// </summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> s, ref int i, out double value, out bool fast)
    {
        // A local position (not the ref) in the loops keeps it in a register.
        value = 0;
        fast = false;
        int p = i, start = i;
        if ((uint)p < (uint)s.Length && s[p] == (byte)'-') p++;
        // Integer part: 0 or [1-9][0-9]*; every digit accumulates into w (only used when there are at most 19).
        ulong w = 0;
        int first = p;
        for (uint d; (uint)p < (uint)s.Length && (d = (uint)(s[p] - '0')) <= 9; p++) w = w * 10 + d;
        int digits = p - first;
        if (digits == 0 || (digits > 1 && s[first] == (byte)'0')) return false;
        int exponent = 0;
        if ((uint)p < (uint)s.Length && s[p] == (byte)'.')
        {
            first = ++p;
            for (uint d; (uint)p < (uint)s.Length && (d = (uint)(s[p] - '0')) <= 9; p++) w = w * 10 + d;
            if (p == first) return false;
            exponent = first - p;
            digits += p - first;
        }
        if ((uint)p < (uint)s.Length && (s[p] | 0x20) == (byte)'e')
        {
            p++;
            bool negative = false;
            if ((uint)p < (uint)s.Length && s[p] is (byte)'-' or (byte)'+') negative = s[p++] == (byte)'-';
            first = p;
            int e = 0;
            for (uint d; (uint)p < (uint)s.Length && (d = (uint)(s[p] - '0')) <= 9; p++) e = Math.Min(e * 10 + (int)d, 100_000);
            if (p == first) return false;
            exponent += negative ? -e : e;
        }
        if (!AtValueEnd(s, p)) return false;
        i = p;
        if (digits <= 19 && w != 0 && w <= 1UL << 53 && exponent is >= -22 and <= 22)
        {
            value = exponent >= 0 ? w * Pow10[exponent] : w / Pow10[-exponent];
            if (s[start] == (byte)'-') value = -value;
            fast = true;
            return true;
        }
        var text = s[start..p];
        return Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length;
    }

    /// <summary>
    /// The usual shape of an embedding component, <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c>, filling exactly the
    /// <paramref name="length"/> (1..15) bytes at <paramref name="i"/>, read from one 16-byte load (the caller checked
    /// the bytes exist) without a loop: masks of digits and dots check the shape and give the dot's place, a shuffle
    /// drops the dot, and the digits (at most 15) combine into w &lt; 10^15 &lt; 2^53, by multiply-adds on x86 and eight at a
    /// time elsewhere. The value is w / 10^k with k ≤ 14, one IEEE division, correctly rounded (Clinger): the double
    /// the general path gives. Every other text (zero, an exponent, whitespace, a longer number, a malformed one)
    /// answers false, and <see cref="TryReadNumber"/> decides. The sign is or-ed into the result's bits: a branch on it mispredicts half
    /// the time on embeddings.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ShortDecimal(ref byte b, int i, int length, out double value)
    {
        value = 0;
        if (!BitConverter.IsLittleEndian || !Vector128.IsHardwareAccelerated || length == 0) return false;
        var v = Vector128.LoadUnsafe(ref b, (nuint)i);
        var digitValues = v - Vector128.Create((byte)'0');
        uint digitMask = Vector128.LessThan(digitValues, Vector128.Create((byte)10)).ExtractMostSignificantBits();
        uint dotMask = Vector128.Equals(v, Vector128.Create((byte)'.')).ExtractMostSignificantBits();
        int sign = Unsafe.Add(ref b, i) == (byte)'-' ? 1 : 0;
        uint all = (1u << length) - 1;
        if (((digitMask | dotMask | (uint)sign) & all) != all) return false;
        uint dots = dotMask & all;
        int dot = dots == 0 ? length : BitOperations.TrailingZeroCount(dots);
        int integerDigits = dot - sign, fractionDigits = dots == 0 ? 0 : length - dot - 1;
        // At most one dot with digits on both sides, no leading zero (the grammar's; the general reader refuses).
        if ((dots & (dots - 1)) != 0 || integerDigits < 1 || (dots != 0 && fractionDigits < 1)
            || (integerDigits > 1 && Unsafe.Add(ref b, i + sign) == (byte)'0'))
            return false;
        int count = integerDigits + fractionDigits; // 1..15
        ulong w;
        if (Ssse3.IsSupported && Sse41.IsSupported)
        {
            // The digits right-aligned in 16 lanes with zeros in front: lane j takes digit k = j - (16 - count), read
            // from byte sign + k, one further on past the dot; lanes with k < 0 get an index with the high bit set,
            // which the shuffle turns into 0. Then pairs, quads and octets combine by multiply-add: the top 8 digits and
            // the low 8 digits as two 32-bit lanes.
            var k = Vector128.Create((sbyte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) + Vector128.Create((sbyte)(count - 16));
            var index = k + Vector128.Create((sbyte)sign);
            index += Vector128.GreaterThanOrEqual(index, Vector128.Create((sbyte)dot)) & Vector128.Create((sbyte)1);
            index |= Vector128.LessThan(k, Vector128<sbyte>.Zero);
            var digits = Ssse3.Shuffle(digitValues, index.AsByte());
            var pairs = Ssse3.MultiplyAddAdjacent(digits, Vector128.Create((sbyte)10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
            var quads = Sse2.MultiplyAddAdjacent(pairs, Vector128.Create((short)100, 1, 100, 1, 100, 1, 100, 1));
            var octets = Sse2.MultiplyAddAdjacent(Sse41.PackUnsignedSaturate(quads, quads).AsInt16(), Vector128.Create((short)10000, 1, 10000, 1, 10000, 1, 10000, 1));
            w = (ulong)(uint)octets.GetElement(0) * 100_000_000UL + (uint)octets.GetElement(1);
        }
        else
        {
            // The digits without sign and dot, from the first byte on: bytes after the dot move down one place.
            var index = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) + Vector128.Create((byte)sign);
            index += Vector128.GreaterThanOrEqual(index, Vector128.Create((byte)dot)) & Vector128.Create((byte)1);
            // Every index a digit needs is below 16; lanes past the digits hold garbage the chunk values shift out, so the
            // native shuffle's handling of larger indices (platform-defined) does not matter.
            var digits = Vector128.ShuffleNative(digitValues, index).AsUInt64();
            int high = Math.Max(count - 8, 0);
            w = ChunkValue(digits.GetElement(0), count - high) * Pow10Integer[high] + ChunkValue(digits.GetElement(1), high);
        }
        if (w == 0) return false; // zero (its sign): the general path
        double magnitude = (double)w / Pow10[fractionDigits];
        value = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(magnitude) | ((long)sign << 63));
        return true;
    }

    /// <summary>The value of the first <paramref name="k"/> (0..8) digit values of a chunk (first byte lowest, each
    /// 0..9): moved to the top with zeros in front (none left for k = 0), then pairs, quads and the eight combined by
    /// multiplication.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ChunkValue(ulong chunk, int k)
    {
        int shift = 64 - 8 * k; // 0..64, in two steps: a single shift by 64 would shift by 0
        chunk = (chunk << (shift >> 1)) << (shift - (shift >> 1));
        chunk = chunk * 10 + (chunk >> 8);
        return (((chunk & 0x000000FF000000FFUL) * (100 + (1_000_000UL << 32))) + (((chunk >> 16) & 0x000000FF000000FFUL) * (1 + (10_000UL << 32)))) >> 32;
    }

    /// <summary>After a number or literal: whitespace, then a delimiter (or the end, which the caller rejects).</summary>
    public static bool AtValueEnd(ReadOnlySpan<byte> s, int i) =>
        i >= s.Length || s[i] is (byte)',' or (byte)']' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    public static bool Literal(ReadOnlySpan<byte> s, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!s[i..].StartsWith(literal) || !AtValueEnd(s, i + literal.Length)) return false;
        i += literal.Length;
        return true;
    }

    /// <summary>A string of printable ASCII without escapes (any other string: the mapper decides), after whitespace.</summary>
    public static bool Key(ReadOnlySpan<byte> s, ref int i, out ReadOnlySpan<byte> key)
    {
        key = default;
        SkipWhitespace(s, ref i);
        if (i >= s.Length || s[i] != (byte)'"') return false;
        int start = ++i;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            if (c == (byte)'"')
            {
                key = s[start..i++];
                return true;
            }
            if (c is < 0x20 or > 0x7E or (byte)'\\') return false;
        }
        return false;
    }

    public static bool Expect(ReadOnlySpan<byte> s, ref int i, byte c) => TryConsume(s, ref i, c);

    /// <summary>Skips whitespace, then consumes <paramref name="c"/> if it is next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryConsume(ReadOnlySpan<byte> s, ref int i, byte c)
    {
        SkipWhitespace(s, ref i);
        if ((uint)i < (uint)s.Length && s[i] == c)
        {
            i++;
            return true;
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SkipWhitespace(ReadOnlySpan<byte> s, ref int i)
    {
        int p = i;
        while ((uint)p < (uint)s.Length && IsWhitespace(s[p])) p++;
        i = p;
    }
}
