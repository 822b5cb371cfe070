using System.Globalization;

namespace Grape.Core.Query;

/// <summary>The value a group is keyed by: a string or an integer (Qdrant's <c>GroupId</c>).</summary>
public readonly record struct GroupId
{
    private GroupId(string? text, long number) { String = text; Number = number; }

    public static GroupId FromString(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), 0);
    public static GroupId FromNumber(long value) => new(null, value);

    /// <summary>The string value, or null when the id is a number.</summary>
    public string? String { get; }
    public long Number { get; }
    public bool IsString => String is not null;

    public override string ToString() => String ?? Number.ToString(CultureInfo.InvariantCulture);
}
