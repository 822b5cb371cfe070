namespace Grape.Bench.Ann;

/// <summary>A row-major matrix in one array: row <c>r</c> is <c>Data[r*Cols .. (r+1)*Cols)</c>.</summary>
internal sealed record Matrix<T>(T[] Data, int Rows, int Cols) where T : unmanaged
{
    public ReadOnlySpan<T> Row(int r) => Data.AsSpan(r * Cols, Cols);
}
