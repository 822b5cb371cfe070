using System.Globalization;
using Grape.Core.Errors;

namespace Grape.Core.Points;

/// <summary>
/// A point id: an unsigned 64-bit integer or a UUID, as in Qdrant. Both forms may live in one collection.
/// Ordering follows Qdrant: every numeric id sorts before every UUID.
/// </summary>
public readonly struct PointId : IEquatable<PointId>, IComparable<PointId>
{
    private readonly ulong _num;
    private readonly Guid _uuid;

    private PointId(ulong num, Guid uuid, bool isUuid) { _num = num; _uuid = uuid; IsUuid = isUuid; }

    public static PointId FromNumber(ulong num) => new(num, default, false);
    public static PointId FromUuid(Guid uuid) => new(0, uuid, true);

    public static implicit operator PointId(ulong num) => FromNumber(num);
    public static implicit operator PointId(Guid uuid) => FromUuid(uuid);

    public bool IsUuid { get; }
    public bool IsNumber => !IsUuid;
    public ulong Number => IsUuid ? throw new InvalidOperationException("The id is a UUID") : _num;
    public Guid Uuid => IsUuid ? _uuid : throw new InvalidOperationException("The id is a number");

    /// <summary>Parses "123" or a UUID string (any of the forms Qdrant accepts).</summary>
    public static PointId Parse(string text) =>
        TryParse(text, out var id) ? id
            : throw new BadRequestException($"Unable to parse point id `{text}`: expected an unsigned integer or a UUID");

    public static bool TryParse(string? text, out PointId id)
    {
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) { id = FromNumber(n); return true; }
        if (Guid.TryParse(text, out var g)) { id = FromUuid(g); return true; }
        id = default;
        return false;
    }

    public bool Equals(PointId other) => IsUuid == other.IsUuid && (IsUuid ? _uuid == other._uuid : _num == other._num);
    public override bool Equals(object? obj) => obj is PointId p && Equals(p);
    public override int GetHashCode() => IsUuid ? _uuid.GetHashCode() : _num.GetHashCode();

    public int CompareTo(PointId other)
    {
        if (IsUuid != other.IsUuid) return IsUuid ? 1 : -1;
        return IsUuid ? CompareUuid(_uuid, other._uuid) : _num.CompareTo(other._num);
    }

    // Qdrant orders UUIDs by their 128-bit big-endian value (the textual order).
    private static int CompareUuid(Guid a, Guid b)
    {
        Span<byte> x = stackalloc byte[16], y = stackalloc byte[16];
        a.TryWriteBytes(x, bigEndian: true, out _);
        b.TryWriteBytes(y, bigEndian: true, out _);
        return x.SequenceCompareTo(y);
    }

    public static bool operator ==(PointId a, PointId b) => a.Equals(b);
    public static bool operator !=(PointId a, PointId b) => !a.Equals(b);
    public static bool operator <(PointId a, PointId b) => a.CompareTo(b) < 0;
    public static bool operator >(PointId a, PointId b) => a.CompareTo(b) > 0;
    public static bool operator <=(PointId a, PointId b) => a.CompareTo(b) <= 0;
    public static bool operator >=(PointId a, PointId b) => a.CompareTo(b) >= 0;

    /// <summary>The number in decimal, or the UUID in its lower-case hyphenated form (Qdrant's rendering).</summary>
    public override string ToString() => IsUuid ? _uuid.ToString("D") : _num.ToString(CultureInfo.InvariantCulture);
}
