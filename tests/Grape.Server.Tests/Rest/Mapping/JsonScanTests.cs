using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grape.Server.Rest.Mapping;

namespace Grape.Server.Tests.Rest.Mapping;

/// <summary>The scanner's number reading against <see cref="Utf8Parser"/> (what <c>JsonElement.TryGetDouble</c> uses).</summary>
public sealed class JsonScanTests
{
    [Fact]
    public void Numbers_parse_to_the_correctly_rounded_double()
    {
        var rng = new Random(7);
        Span<byte> buffer = stackalloc byte[64];
        int fast = 0;
        for (int i = 0; i < 400_000; i++)
        {
            string text = RandomNumberText(rng);
            int n = Encoding.ASCII.GetBytes(text, buffer);
            var s = buffer[..n];
            Assert.True(Utf8Parser.TryParse(s, out double reference, out int consumed) && consumed == n, text);
            int at = 0;
            Assert.True(JsonScan.TryReadNumber(s, ref at, out double d, out bool wasFast), text);
            Assert.Equal(n, at);
            if (wasFast) fast++;
            Assert.True(BitConverter.DoubleToInt64Bits(reference) == BitConverter.DoubleToInt64Bits(d), $"{text}: {d:R}, expected {reference:R}");
        }
        Assert.True(fast > 200_000, $"only {fast} numbers took the fast path");

        // What clients send for f32 components of embeddings (shortest round trip, magnitudes 1e-7..1e6) takes the
        // fast path, except zero.
        for (int i = 0; i < 100_000; i++)
        {
            float f = (rng.NextSingle() * 2 - 1) * MathF.Pow(10, rng.Next(-6, 7));
            if (f == 0) continue;
            foreach (string text in new[] { f.ToString("R", CultureInfo.InvariantCulture), JsonNumber(f) })
            {
                int n = Encoding.ASCII.GetBytes(text, buffer);
                int at = 0;
                Assert.True(JsonScan.TryReadNumber(buffer[..n], ref at, out double d, out bool wasFast) && wasFast, text);
                Assert.Equal(f, (float)d);
            }
        }
    }

    /// <summary>
    /// Numbers inside a body (enough bytes after them for the eight-digits-at-a-time reader), of every length of
    /// integer and fraction part around its chunk boundaries, with and without sign and exponent, valid or not: the
    /// same double as <see cref="Utf8Parser"/> when the JSON grammar allows the text, refused when it does not, and
    /// the position left just past the number.
    /// </summary>
    [Fact]
    public void Numbers_in_a_body_parse_as_alone()
    {
        var rng = new Random(11);
        const string Tail = ",                                                  ]";
        Span<byte> buffer = stackalloc byte[160];
        int checkedFast = 0;
        for (int round = 0; round < 200_000; round++)
        {
            string text = round % 16 == 0 ? Tricky[rng.Next(Tricky.Length)] : round % 4 == 0 ? RandomNumberText(rng) : RandomDigitsText(rng);
            int n = Encoding.ASCII.GetBytes(text + Tail, buffer);
            var body = buffer[..n];
            bool valid = IsJsonNumber(text);
            int at = 0;
            bool read = JsonScan.TryReadNumber(body, ref at, out double d, out bool wasFast);
            Assert.True(valid == read, $"`{text}`: read {read}, JSON grammar says {valid}");

            // The same inside a dense vector (its 16-bytes-at-once reader for the usual shape, else the general one).
            int v = Encoding.ASCII.GetBytes("[" + text + new string(' ', 50) + "]", buffer);
            int i = 0;
            float[] scratch = new float[1];
            float[]? dense = JsonScan.ReadDense(buffer[..v], ref i, ref scratch);
            if (!read)
            {
                Assert.True(dense is null, $"`{text}` is no JSON number, yet read as a vector");
                continue;
            }
            Assert.Equal(text.Length, at);
            Assert.True(Utf8Parser.TryParse(Encoding.ASCII.GetBytes(text), out double reference, out _), text);
            Assert.True(BitConverter.DoubleToInt64Bits(reference) == BitConverter.DoubleToInt64Bits(d), $"{text}: {d:R}, expected {reference:R}");
            if (wasFast) checkedFast++;

            if (float.IsFinite((float)reference))
            {
                Assert.NotNull(dense);
                Assert.True(BitConverter.SingleToInt32Bits((float)reference) == BitConverter.SingleToInt32Bits(Assert.Single(dense)), $"{text} in a vector: {dense[0]:R}, expected {(float)reference:R}");
                Assert.Equal(v, i);
            }
            else Assert.Null(dense);

            // Compact, as clients send it: the element fills the place between two delimiters exactly, with enough
            // bytes after it for the one-load reader.
            int c = Encoding.ASCII.GetBytes("[" + text + "," + text + "]" + new string(' ', 20), buffer);
            i = 0;
            float[]? pair = JsonScan.ReadDense(buffer[..c], ref i, ref scratch);
            if (float.IsFinite((float)reference))
            {
                Assert.NotNull(pair);
                Assert.Equal(2, pair.Length);
                Assert.True(BitConverter.SingleToInt32Bits((float)reference) == BitConverter.SingleToInt32Bits(pair[1]), $"{text} compact: {pair[1]:R}, expected {(float)reference:R}");
                Assert.Equal(2 * text.Length + 3, i);
            }
            else Assert.Null(pair);
        }
        Assert.True(checkedFast > 100_000, $"only {checkedFast} numbers took the fast path");
    }

    /// <summary>
    /// Whole lists, compact or with whitespace, valid or broken (a missing, doubled or trailing comma, a nested list,
    /// a string, no closing bracket), at the end of the buffer or followed by more bytes, long enough to cross the
    /// reader's 64-byte blocks: read exactly as the document reads them (f32 of each element's double), or refused
    /// when the document refuses them, and the position left just past <c>]</c>.
    /// </summary>
    [Fact]
    public void Lists_read_as_the_document_reads_them()
    {
        var rng = new Random(23);
        string[] broken = [",,", ",]", "[", "\"x\"", "]", "1 2", "{}", ",", "- 1", "1e", "tru"];
        int accepted = 0;
        for (int round = 0; round < 20_000; round++)
        {
            var sb = new StringBuilder("[");
            int count = rng.Next(4) == 0 ? rng.Next(0, 4) : rng.Next(1, 200);
            bool spaced = rng.Next(4) == 0;
            for (int k = 0; k < count; k++)
            {
                if (k > 0) sb.Append(spaced && rng.Next(3) == 0 ? " , " : ",");
                if (spaced && rng.Next(3) == 0) sb.Append(rng.Next(2) == 0 ? " " : "\n\t");
                // Mostly what clients send; now and then any number text, valid or not, finite as f32 or not.
                sb.Append(rng.Next(200) switch
                {
                    0 => RandomNumberText(rng),
                    1 => RandomDigitsText(rng),
                    < 100 => JsonNumber((rng.NextSingle() * 2 - 1) * MathF.Pow(10, rng.Next(-4, 3))),
                    _ => ((rng.NextSingle() * 2 - 1) * MathF.Pow(10, rng.Next(-8, 8))).ToString("R", CultureInfo.InvariantCulture),
                });
                if (spaced && rng.Next(3) == 0) sb.Append(' ');
            }
            if (rng.Next(10) == 0) sb.Insert(rng.Next(1, sb.Length + 1), broken[rng.Next(broken.Length)]);
            if (rng.Next(20) > 0) sb.Append(']');
            string list = sb.ToString();
            string after = rng.Next(2) == 0 ? "" : rng.Next(2) == 0 ? "}" : ",\"payload\":{\"a\":[1,2]}}" + new string(' ', rng.Next(80));
            byte[] body = Encoding.ASCII.GetBytes(list + after);

            // The list ends at its first ']' (a stray one closes it early; what follows is the caller's to read).
            int close = list.IndexOf(']');
            float[]? expected = close < 0 ? null : DocumentList(list[..(close + 1)]);
            int i = 0;
            float[] scratch = new float[rng.Next(1, 64)];
            float[]? dense = JsonScan.ReadDense(body, ref i, ref scratch);
            if (expected is null)
            {
                Assert.True(dense is null, $"`{list}` is no finite number list, yet read as one");
                continue;
            }
            Assert.True(dense is not null, $"`{list}` refused");
            Assert.Equal(close + 1, i);
            Assert.Equal(expected.Length, dense.Length);
            for (int k = 0; k < expected.Length; k++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(dense[k]), $"`{list}`[{k}]: {dense[k]:R}, expected {expected[k]:R}");
            accepted++;
        }
        Assert.True(accepted > 10_000, $"only {accepted} lists were valid");
    }

    /// <summary>
    /// Lists made only of short elements (1-15 bytes: plain decimals, zeros, leading zeros, lone signs and dots,
    /// doubled dots, exponents, or single digits packed 32 to a 64-byte block), in compact form with room after them, so that the reader takes them four at a time
    /// and every lane of that path meets every shape, valid or not: read exactly as the document reads them, or refused.
    /// </summary>
    [Fact]
    public void Short_elements_read_four_at_a_time_as_the_document_reads_them()
    {
        var rng = new Random(31);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++)
        {
            var sb = new StringBuilder("[");
            int count = rng.Next(4, 41);
            for (int k = 0; k < count; k++)
            {
                if (k > 0) sb.Append(',');
                // Every tenth list is single digits: up to 32 commas in one 64-byte block.
                string element = round % 10 == 0 ? ((char)('0' + rng.Next(10))).ToString() : rng.Next(40) switch
                {
                    0 => Tricky[rng.Next(Tricky.Length)],
                    1 => RandomDigitsText(rng),
                    2 => rng.Next(2) == 0 ? "0" : "-0.0",
                    < 8 => ((rng.NextSingle() * 2 - 1) * MathF.Pow(10, rng.Next(-8, 9))).ToString("R", CultureInfo.InvariantCulture),
                    _ => JsonNumber((rng.NextSingle() * 2 - 1) * 0.2f),
                };
                sb.Append(element.Length > 15 && rng.Next(2) == 0 ? element[..15] : element);
            }
            string list = sb.Append(']').ToString();
            byte[] body = Encoding.ASCII.GetBytes(list + ",\"payload\":{}}" + new string(' ', 16));
            float[]? expected = DocumentList(list);
            int i = 0;
            float[] scratch = new float[8];
            float[]? dense = JsonScan.ReadDense(body, ref i, ref scratch);
            if (expected is null)
            {
                Assert.True(dense is null, $"`{list}` is no finite number list, yet read as one");
                continue;
            }
            Assert.True(dense is not null, $"`{list}` refused");
            Assert.Equal(list.Length, i);
            Assert.Equal(expected.Length, dense.Length);
            for (int k = 0; k < expected.Length; k++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(dense[k]), $"`{list}`[{k}]: {dense[k]:R}, expected {expected[k]:R}");
            accepted++;
        }
        Assert.True(accepted > 5_000, $"only {accepted} lists were valid");
    }

    /// <summary>A non-empty JSON list of numbers as the document mapper reads it (each double narrowed to f32, all finite), else null.</summary>
    private static float[]? DocumentList(string list)
    {
        try
        {
            using var doc = JsonDocument.Parse(list);
            if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0) return null;
            var result = new List<float>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || !float.IsFinite((float)d)) return null;
                result.Add((float)d);
            }
            return [.. result];
        }
        catch (JsonException) { return null; }
    }

    private static readonly string[] Tricky =
    [
        "1.2.3", "--1", "1-2", "-", "-1-", "0x1", "1e", "1E+", "01", "00.5", "1..2", "+1", ".", "-.5", ".5", "1.", "0", "-0", "0.0", "-0.0",
        "0.000000000000001", "123456789012345", "1234567890123456", "12345678.1234567", "9007199254740993", "900719925474.0993",
        "-99999999999999", "1.00000000000000", "7.", "7.e3", "5-", "5.5-", "1\u0030",
    ];

    /// <summary>Sign, 0-10 integer digits (leading zeros too), an optional fraction of 0-20 digits, sometimes an exponent.</summary>
    private static string RandomDigitsText(Random rng)
    {
        var sb = new StringBuilder();
        if (rng.Next(3) == 0) sb.Append('-');
        int integer = rng.Next(11);
        for (int k = 0; k < integer; k++) sb.Append((char)('0' + (k == 0 && rng.Next(4) > 0 ? rng.Next(1, 10) : rng.Next(10))));
        if (rng.Next(5) > 0)
        {
            sb.Append('.');
            int fraction = rng.Next(21);
            for (int k = 0; k < fraction; k++) sb.Append((char)('0' + rng.Next(10)));
        }
        if (rng.Next(8) == 0) sb.Append(rng.Next(2) == 0 ? 'e' : 'E').Append(rng.Next(-30, 30));
        return sb.ToString();
    }

    private static bool IsJsonNumber(string text)
    {
        var reader = new Utf8JsonReader(Encoding.ASCII.GetBytes("[" + text + "]"));
        try
        {
            return reader.Read() && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
        }
        catch (JsonException) { return false; }
    }

    internal static string RandomNumberText(Random rng)
    {
        float f = (rng.NextSingle() * 2 - 1) * MathF.Pow(10, rng.Next(-12, 12));
        double d = (rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-30, 30));
        return rng.Next(10) switch
        {
            0 => f.ToString("R", CultureInfo.InvariantCulture),
            1 => f.ToString("E8", CultureInfo.InvariantCulture),
            2 => d.ToString("R", CultureInfo.InvariantCulture),
            3 => d.ToString("G17", CultureInfo.InvariantCulture),
            4 => d.ToString("E3", CultureInfo.InvariantCulture),
            5 => rng.NextInt64(-10_000_000_000, 10_000_000_000).ToString(CultureInfo.InvariantCulture),
            6 => f.ToString("F" + rng.Next(0, 12), CultureInfo.InvariantCulture),
            7 => JsonNumber(f),
            8 => $"{rng.Next(0, 999999)}.{rng.Next(0, 99999999):D8}e{rng.Next(-40, 30)}",
            _ => $"-0.{rng.NextInt64(0, long.MaxValue):D19}",
        };
    }

    /// <summary>How System.Text.Json writes an f32 (what clients built on it send).</summary>
    private static string JsonNumber(float f)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) w.WriteNumberValue(f);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
