using System.Buffers.Binary;

namespace Grape.Bench.Workloads;

/// <summary>Reads TEXMEX files: each record is <c>int32 d</c> then d little-endian float32 (fvecs) or int32 (ivecs).</summary>
internal static class Texmex
{
    /// <summary>The vectors of an fvecs file as one row-major array; <paramref name="maxRows"/> limits how many are read.</summary>
    public static (float[] Data, int Rows, int Dim) ReadFvecs(string path, int maxRows = int.MaxValue)
    {
        var (raw, rows, dim) = ReadRecords(path, maxRows);
        var data = new float[(long)rows * dim];
        for (int r = 0; r < rows; r++)
        {
            var rec = raw.AsSpan(r * (dim + 1) * 4 + 4, dim * 4);
            for (int j = 0; j < dim; j++) data[(long)r * dim + j] = BinaryPrimitives.ReadSingleLittleEndian(rec.Slice(j * 4, 4));
        }
        return (data, rows, dim);
    }

    public static (int[] Data, int Rows, int Dim) ReadIvecs(string path, int maxRows = int.MaxValue)
    {
        var (raw, rows, dim) = ReadRecords(path, maxRows);
        var data = new int[(long)rows * dim];
        for (int r = 0; r < rows; r++)
        {
            var rec = raw.AsSpan(r * (dim + 1) * 4 + 4, dim * 4);
            for (int j = 0; j < dim; j++) data[(long)r * dim + j] = BinaryPrimitives.ReadInt32LittleEndian(rec.Slice(j * 4, 4));
        }
        return (data, rows, dim);
    }

    private static (byte[] Raw, int Rows, int Dim) ReadRecords(string path, int maxRows)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        file.ReadExactly(head);
        int dim = BinaryPrimitives.ReadInt32LittleEndian(head);
        long recordBytes = 4L * (dim + 1);
        if (dim <= 0 || file.Length % recordBytes != 0) throw new InvalidDataException($"{path}: not a TEXMEX file of dimension {dim}");
        int rows = (int)Math.Min(file.Length / recordBytes, maxRows);
        var raw = new byte[rows * recordBytes];
        file.Position = 0;
        file.ReadExactly(raw);
        for (int r = 0; r < rows; r++)
            if (BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan((int)(r * recordBytes), 4)) != dim)
                throw new InvalidDataException($"{path}: record {r} has a different dimension");
        return (raw, rows, dim);
    }
}
