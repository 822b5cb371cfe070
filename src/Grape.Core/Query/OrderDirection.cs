namespace Grape.Core.Query;

/// <summary>Direction of an <c>order_by</c> query.</summary>
public enum OrderDirection
{
    Asc,
    Desc,
}
