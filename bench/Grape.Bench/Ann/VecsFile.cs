using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Grape.Bench.Ann;

/// <summary>
/// TEXMEX <c>.fvecs</c> / <c>.ivecs</c> files: each record is <c>int32 d</c> then d little-endian float32 or int32.
/// The whole file is read with one call into the result array's memory and the per-record headers are squeezed out in
/// place, so a 188 MB base set costs one read and one pass of <see cref="Span{T}.CopyTo"/>, not a parse per number.
/// </summary>
internal static class VecsFile
{
    /// <summary>Rows of an fvecs file, row-major; <paramref name="maxRows"/> limits how many are read.</summary>
    public static Matrix<float> ReadFvecs(string path, int maxRows = int.MaxValue) => Read<float>(path, maxRows);

    /// <summary>Rows of an ivecs file, row-major; <paramref name="maxRows"/> limits how many are read.</summary>
    public static Matrix<int> ReadIvecs(string path, int maxRows = int.MaxValue) => Read<int>(path, maxRows);

    private static Matrix<T> Read<T>(string path, int maxRows) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("TEXMEX files are little-endian; this reader maps them directly");
        using var file = File.OpenHandle(path);
        long length = RandomAccess.GetLength(file);
        Span<byte> head = stackalloc byte[4];
        if (length < 4 || RandomAccess.Read(file, head, 0) != 4) throw new InvalidDataException($"{path}: empty file");
        int dim = BinaryPrimitives.ReadInt32LittleEndian(head);
        long recordBytes = 4L * (dim + 1);
        if (dim <= 0 || length % recordBytes != 0) throw new InvalidDataException($"{path}: not a TEXMEX file of dimension {dim} ({length} bytes)");
        int rows = (int)Math.Min(length / recordBytes, maxRows);
        long words = (long)rows * (dim + 1);
        if (words > Array.MaxLength) throw new InvalidDataException($"{path}: {rows} rows of {dim} do not fit one array");

        // Read records (header included) straight into the output array, which is one word per record longer than
        // the data; then move each row down over the headers. Rows only move toward the front, so nothing unread is
        // overwritten.
        var raw = GC.AllocateUninitializedArray<T>((int)words);
        var bytes = MemoryMarshal.AsBytes(raw.AsSpan());
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(file, bytes[read..], read);
            if (n == 0) throw new EndOfStreamException($"{path}: file shrank while reading");
            read += n;
        }
        var headers = MemoryMarshal.Cast<T, int>(raw.AsSpan());
        for (int r = 0; r < rows; r++)
        {
            int h = headers[r * (dim + 1)];
            if (h != dim) throw new InvalidDataException($"{path}: record {r} has dimension {h}, the first has {dim}");
            raw.AsSpan(r * (dim + 1) + 1, dim).CopyTo(raw.AsSpan(r * dim, dim));
        }
        Array.Resize(ref raw, rows * dim);
        return new Matrix<T>(raw, rows, dim);
    }
}
