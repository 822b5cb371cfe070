using System.Globalization;

namespace Grape.Core.Points;

/// <summary>The payload value an <c>order_by</c> query ordered a point by: an integer or a float (Qdrant's <c>OrderValue</c>).</summary>
public readonly record struct OrderValue
{
    private OrderValue(bool isInteger, long integer, double number) { IsInteger = isInteger; Integer = integer; Float = number; }

    public static OrderValue FromInteger(long value) => new(true, value, value);
    public static OrderValue FromFloat(double value) => new(false, (long)value, value);

    public bool IsInteger { get; }
    public long Integer { get; }
    /// <summary>The value as a double (also for integers).</summary>
    public double Float { get; }

    public override string ToString() => IsInteger ? Integer.ToString(CultureInfo.InvariantCulture) : Float.ToString("R", CultureInfo.InvariantCulture);
}
