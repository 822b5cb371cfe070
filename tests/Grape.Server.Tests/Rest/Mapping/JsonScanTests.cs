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
        }
        Assert.True(checkedFast > 100_000, $"only {checkedFast} numbers took the fast path");
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
