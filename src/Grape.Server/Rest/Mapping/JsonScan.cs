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
        // known places, so reading one does not wait for the end of the one before it, and the numbers are read four
        // at a time where the hardware allows (ReadFour). The ends found but not yet read wait in `stops`: at most 3
        // left over plus 33 from one block (a block holds at most 32 commas and one ']'), and the first 8 of a block's
        // commas are written without looking at how many there are (a block of numbers has 5 to 8; a loop that ran
        // once per comma mispredicted its exit at every block), the slots past the count holding garbage.
        ref byte b = ref MemoryMarshal.GetReference(s);
        var pendingStops = new Stops();
        Span<int> stops = pendingStops;
        ref int stop0 = ref MemoryMarshal.GetReference(stops);
        int pending = 0;
        int start = i + 1; // past '['
        int n = 0;
        for (int block = start; block < s.Length; block += 64)
        {
            Delimiters(s, block, out ulong commas, out ulong closes);
            ulong before = closes == 0 ? ulong.MaxValue : (closes & (0UL - closes)) - 1; // the bits before the first ']'
            ulong m = commas & before;
            int found = BitOperations.PopCount(m);
            ref int slot = ref Unsafe.Add(ref stop0, pending);
            for (int k = 0; k < 8; k++, m &= m - 1) Unsafe.Add(ref slot, k) = block + BitOperations.TrailingZeroCount(m);
            for (int k = 8; m != 0; k++, m &= m - 1) Unsafe.Add(ref slot, k) = block + BitOperations.TrailingZeroCount(m);
            pending += found;
            bool last = closes != 0;
            if (last) stops[pending++] = block + BitOperations.TrailingZeroCount(closes);
            int take = last ? pending : pending & ~3;
            if (n + take > scratch.Length) Array.Resize(ref scratch, Math.Max(scratch.Length * 2, n + take));
            if (!ReadElements(s, ref b, ref start, stops[..take], scratch.AsSpan(n, take))) return null;
            n += take;
            if (last)
            {
                i = start; // past ']'
                return scratch.AsSpan(0, n).ToArray();
            }
            for (int k = take; k < pending; k++) stops[k - take] = stops[k]; // at most 3
            pending -= take;
        }
        return null;
    }

    /// <summary>List ends found but not read yet (a fixed buffer rather than stackalloc, which would keep the JIT from
    /// tiering <see cref="ReadDense"/> up with profile data).</summary>
    [InlineArray(48)]
    private struct Stops
    {
        private int _first;
    }

    /// <summary>The list elements that end at <paramref name="stops"/> (the first one starts at <paramref name="start"/>,
    /// each next one just past the previous end), into <paramref name="values"/>; <paramref name="start"/> ends past the
    /// last. False when one of them is not a number finite as f32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadElements(ReadOnlySpan<byte> s, ref byte b, ref int start, ReadOnlySpan<int> stops, Span<float> values)
    {
        int k = 0;
        if (Avx512BW.IsSupported && Avx512DQ.IsSupported)
        {
            for (; k + 4 <= stops.Length; k += 4)
            {
                int s0 = start, s1 = stops[k] + 1, s2 = stops[k + 1] + 1, s3 = stops[k + 2] + 1;
                if (s3 > s.Length - Vector128<byte>.Count) break; // each lane loads 16 bytes from its start
                int read = ReadFour(ref b, s0, s1, s2, s3, stops[k + 3] + 1, ref values[k]);
                for (int lane = 0; lane < 4; lane++)
                {
                    if ((read & (1 << lane)) != 0) continue;
                    int from = lane == 0 ? s0 : stops[k + lane - 1] + 1;
                    if (!ReadComponent(s, ref b, from, stops[k + lane], out values[k + lane])) return false;
                }
                start = stops[k + 3] + 1;
            }
        }
        for (; k < stops.Length; k++)
        {
            if (!ReadComponent(s, ref b, start, stops[k], out values[k])) return false;
            start = stops[k] + 1;
        }
        return true;
    }

    /// <summary>
    /// <see cref="ShortDecimal"/> for four consecutive list elements at once, one per 128-bit lane of an AVX-512
    /// register: element j starts at s<sub>j</sub> and ends at the next start minus one (its delimiter), the last at
    /// <paramref name="end"/> minus one. The shapes of all four are checked together on 64-bit masks (a lane per 16
    /// bits) by the rules of <see cref="ShortDecimal"/>; the digits are right-aligned by one shuffle whose control comes
    /// from <see cref="ShuffleControls"/>, combined by multiply-adds, then converted, divided by ±10^(fraction digits)
    /// and narrowed to f32 together, as the mapper narrows. Bit j of the answer says element j was read into
    /// <paramref name="values"/>[j]; the others (another shape, zero, over 15 bytes) are left to the caller.
    /// Not inlined: on its own the method keeps its values in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadFour(ref byte b, int s0, int s1, int s2, int s3, int end, ref float values)
    {
        int l0 = s1 - 1 - s0, l1 = s2 - 1 - s1, l2 = s3 - 1 - s2, l3 = end - 1 - s3;
        if (((uint)(l0 - 1) >= 15) | ((uint)(l1 - 1) >= 15) | ((uint)(l2 - 1) >= 15) | ((uint)(l3 - 1) >= 15)) return 0; // 1..15 bytes each
        var v = Vector512.Create(
            Vector256.Create(Vector128.LoadUnsafe(ref b, (nuint)s0), Vector128.LoadUnsafe(ref b, (nuint)s1)),
            Vector256.Create(Vector128.LoadUnsafe(ref b, (nuint)s2), Vector128.LoadUnsafe(ref b, (nuint)s3)));
        var digitValues = v - Vector512.Create((byte)'0');
        ulong digits = Vector512.LessThan(digitValues, Vector512.Create((byte)10)).ExtractMostSignificantBits();
        ulong zeros = Vector512.Equals(digitValues, Vector512<byte>.Zero).ExtractMostSignificantBits();
        ulong dots = Vector512.Equals(v, Vector512.Create((byte)'.')).ExtractMostSignificantBits();
        ulong signs = Vector512.Equals(v, Vector512.Create((byte)'-')).ExtractMostSignificantBits() & LaneFirstBits;
        // Each lane's bits 0..length-1, its last one, and its first dot or (without one) the bit just past its end.
        ulong inside = ((1UL << l0) - 1) | (((1UL << l1) - 1) << 16) | (((1UL << l2) - 1) << 32) | (((1UL << l3) - 1) << 48);
        ulong last = inside & ~(inside >> 1);
        dots &= inside;
        ulong dotOrEnd = dots | (inside + LaneFirstBits);
        int p0 = BitOperations.TrailingZeroCount((uint)dotOrEnd), p1 = BitOperations.TrailingZeroCount((uint)(dotOrEnd >> 16));
        int p2 = BitOperations.TrailingZeroCount((uint)(dotOrEnd >> 32)), p3 = BitOperations.TrailingZeroCount((uint)(dotOrEnd >> 48));
        ulong firstDots = (1UL << p0) | (1UL << (16 + p1)) | (1UL << (32 + p2)) | (1UL << (48 + p3));
        ulong firstDigits = (LaneFirstBits & ~signs) | (signs << 1);
        ulong wrong = (inside & ~(digits | dots | signs)) // a byte other than a digit, a dot or a leading '-'
            | (dots & ~firstDots)                          // a second dot
            | ((dots | signs) & last)                      // a dot or '-' at the end: no digit after it
            | (dots & firstDigits)                         // a dot where the integer part starts
            | (((zeros & firstDigits) << 1) & digits);     // a leading zero
        int ok = 0b1111;
        if (wrong != 0)
        {
            ok = (((uint)wrong & 0xFFFF) == 0 ? 1 : 0) | (((uint)(wrong >> 16) & 0xFFFF) == 0 ? 2 : 0)
                | (((uint)(wrong >> 32) & 0xFFFF) == 0 ? 4 : 0) | ((wrong >> 48) == 0 ? 8 : 0);
        }
        int n0 = (int)signs & 1, n1 = (int)(signs >> 16) & 1, n2 = (int)(signs >> 32) & 1, n3 = (int)(signs >> 48) & 1;
        ref byte controls = ref MemoryMarshal.GetArrayDataReference(ShuffleControls);
        var control = Vector512.Create(
            Vector256.Create(Vector128.LoadUnsafe(ref controls, Control(n0, p0, l0)), Vector128.LoadUnsafe(ref controls, Control(n1, p1, l1))),
            Vector256.Create(Vector128.LoadUnsafe(ref controls, Control(n2, p2, l2)), Vector128.LoadUnsafe(ref controls, Control(n3, p3, l3))));
        var aligned = Avx512BW.Shuffle(digitValues, control);
        var pairs = Avx512BW.MultiplyAddAdjacent(aligned, Vector512.Create(0x010A010A010A010AUL).AsSByte());
        var quads = Avx512BW.MultiplyAddAdjacent(pairs, Vector512.Create(0x0001006400010064UL).AsInt16());
        var octets = Avx512BW.MultiplyAddAdjacent(Avx512BW.PackUnsignedSaturate(quads, quads).AsInt16(), Vector512.Create(0x0001271000012710UL).AsInt16());
        // Each lane's first 64 bits hold the top 8 digits' value in the low half and the low 8 digits' in the high half.
        var halves = octets.AsUInt64();
        var whole = Avx512F.Multiply(halves.AsUInt32(), Vector512.Create(100_000_000UL).AsUInt32()) + (halves >>> 32);
        var w = Avx512F.PermuteVar8x64(whole, Vector512.Create(0UL, 2, 4, 6, 0, 2, 4, 6)).GetLower();
        ok &= ~(int)Vector256.Equals(w, Vector256<ulong>.Zero).ExtractMostSignificantBits(); // zero (its sign): the general path
        ref double divisors = ref MemoryMarshal.GetArrayDataReference(SignedPow10);
        var value = Vector256.ConvertToDouble(w.AsInt64()) / Vector256.Create(
            Unsafe.Add(ref divisors, Divisor(n0, p0, l0)), Unsafe.Add(ref divisors, Divisor(n1, p1, l1)),
            Unsafe.Add(ref divisors, Divisor(n2, p2, l2)), Unsafe.Add(ref divisors, Divisor(n3, p3, l3)));
        Avx.ConvertToVector128Single(value).StoreUnsafe(ref values);
        return ok;
    }

    /// <summary>Bit 0 of each 16-bit lane of a 64-bit mask.</summary>
    private const ulong LaneFirstBits = 0x0001_0001_0001_0001UL;

    /// <summary>The offset in <see cref="ShuffleControls"/> of the control for an element of <paramref name="length"/>
    /// bytes with a leading '-' or not and its dot at <paramref name="dot"/> (= length without one); each 0..15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Control(int sign, int dot, int length) => (nuint)((((sign << 4) | dot) << 4 | length) << 4);

    /// <summary>The index in <see cref="SignedPow10"/> of ±10^(fraction digits) for such an element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Divisor(int sign, int dot, int length)
    {
        int fraction = length - dot - 1; // −1 without a dot
        return (sign << 4) | (fraction & ~(fraction >> 31));
    }

    /// <summary>10^0..10^15, then their negatives: the divisor gives the quotient its sign (IEEE division is
    /// symmetric, so w / −10^k is exactly −(w / 10^k)).</summary>
    private static readonly double[] SignedPow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        -1e0, -1e1, -1e2, -1e3, -1e4, -1e5, -1e6, -1e7, -1e8, -1e9, -1e10, -1e11, -1e12, -1e13, -1e14, -1e15,
    ];

    /// <summary>
    /// The shuffle controls of <see cref="ReadFour"/>, 16 bytes for each (sign 0..1, dot place 0..15, length 0..15)
    /// at <see cref="Control"/>: with count digits (the bytes but the sign and the dot), byte j takes digit
    /// k = j − (16 − count), found at byte sign + k, one further on from the dot on; bytes with k &lt; 0 get an index
    /// with the high bit set, which the shuffle turns into 0 (<see cref="ShortDecimal"/>'s rule as a table). Shapes
    /// that cannot occur still get in-lane indices.
    /// </summary>
    private static readonly byte[] ShuffleControls = BuildShuffleControls();

    private static byte[] BuildShuffleControls()
    {
        var table = new byte[2 * 16 * 16 * 16];
        for (int sign = 0; sign < 2; sign++)
        for (int dot = 0; dot < 16; dot++)
        for (int length = 0; length < 16; length++)
        {
            int count = length - sign - (dot < length ? 1 : 0), at = (int)Control(sign, dot, length);
            for (int j = 0; j < 16; j++)
            {
                int k = j - (16 - count);
                int index = k + sign;
                if (index >= dot) index++;
                table[at + j] = k < 0 ? (byte)0x80 : (byte)(index & 0x0F);
            }
        }
        return table;
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
