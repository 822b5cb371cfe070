namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// Parses a payload datetime string the way Qdrant does (<c>DateTimeWrapper::from_str</c>): RFC 3339
/// (<c>2020-02-15T10:30:00.5+01:00</c>, <c>Z</c>), an offset without colon or with hours only, a space instead of
/// <c>T</c>, and naive forms taken as UTC: <c>YYYY-MM-DD[THH:MM[:SS[.f]]]</c>. An offset needs seconds.
/// </summary>
internal static class PayloadDatetime
{
    public static bool TryParseUtcTicks(ReadOnlySpan<byte> s, out long utcTicks)
    {
        utcTicks = 0;
        int i = 0;
        if (!Number(s, ref i, 1, 4, out int year) || !Expect(s, ref i, (byte)'-')
            || !Number(s, ref i, 1, 2, out int month) || !Expect(s, ref i, (byte)'-')
            || !Number(s, ref i, 1, 2, out int day))
            return false;
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        long ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        if (i == s.Length) { utcTicks = ticks; return true; }

        if (s[i] is not ((byte)'T' or (byte)'t' or (byte)' ')) return false;
        i++;
        if (!Number(s, ref i, 1, 2, out int hour) || !Expect(s, ref i, (byte)':') || !Number(s, ref i, 1, 2, out int minute))
            return false;
        if (hour > 23 || minute > 59) return false;
        ticks += hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute;
        if (i == s.Length) { utcTicks = ticks; return true; } // naive YYYY-MM-DDTHH:MM

        if (!Expect(s, ref i, (byte)':') || !Number(s, ref i, 1, 2, out int second)) return false;
        if (second > 60) return false;
        // A leap second (:60) sorts after :59 and before the next minute, as in chrono.
        ticks += second == 60 ? 60 * TimeSpan.TicksPerSecond - 1 : second * TimeSpan.TicksPerSecond;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            int start = i;
            long frac = 0, scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && char.IsAsciiDigit((char)s[i]))
            {
                if (scale > 1) { scale /= 10; frac += (s[i] - '0') * scale; } // finer than 100 ns is dropped
                i++;
            }
            if (i == start) return false;
            if (second != 60) ticks += frac;
        }
        if (i == s.Length) { utcTicks = ticks; return true; } // naive: UTC

        long offset;
        if (s[i] is (byte)'Z' or (byte)'z') { i++; offset = 0; }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            bool negative = s[i] == (byte)'-';
            i++;
            if (!Number(s, ref i, 2, 2, out int oh)) return false;
            int om = 0;
            if (i < s.Length)
            {
                if (s[i] == (byte)':') i++;
                if (!Number(s, ref i, 2, 2, out om)) return false;
            }
            if (oh > 23 || om > 59) return false;
            offset = oh * TimeSpan.TicksPerHour + om * TimeSpan.TicksPerMinute;
            if (negative) offset = -offset;
        }
        else return false;
        if (i != s.Length) return false;
        ticks -= offset;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        utcTicks = ticks;
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> s, ref int i, byte c)
    {
        if (i >= s.Length || s[i] != c) return false;
        i++;
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> s, ref int i, int minDigits, int maxDigits, out int value)
    {
        value = 0;
        int start = i;
        while (i < s.Length && i - start < maxDigits && char.IsAsciiDigit((char)s[i])) value = value * 10 + (s[i++] - '0');
        return i - start >= minDigits;
    }
}
