using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Grape.Core.Collections;

namespace Grape.Bench.Ann;

/// <summary>
/// A dataset folder made by <c>shared/bench/ann/prepare.sh</c>: base.fvecs, query.fvecs, groundtruth.ivecs and meta.json
/// (name, metric, sha256 and size of each file). Ground-truth ids are 0-based rows of base.fvecs.
/// </summary>
internal sealed class AnnDataset
{
    private AnnDataset(string name, string metric, Matrix<float> vectors, Matrix<float> queries, Matrix<int> truth)
    {
        Name = name;
        Metric = metric;
        Base = vectors;
        Queries = queries;
        Truth = truth;
    }

    public string Name { get; }
    /// <summary>meta.json's metric: "euclidean" or "cosine".</summary>
    public string Metric { get; }
    public Matrix<float> Base { get; }
    public Matrix<float> Queries { get; }
    public Matrix<int> Truth { get; }

    public Distance Distance => DistanceOf(Metric);

    public static Distance DistanceOf(string metric) => metric switch
    {
        "euclidean" => Distance.Euclid,
        "cosine" => Distance.Cosine, // the cosine sets are unit vectors; Grape normalizes anyway
        _ => throw new InvalidDataException($"unknown metric `{metric}` in meta.json"),
    };

    /// <summary>Checks every file against meta.json (size, then sha256) and loads them; <paramref name="maxQueries"/> 0 = all.</summary>
    public static AnnDataset Load(string dir, int maxQueries, bool verify = true)
    {
        var metaPath = Path.Combine(dir, "meta.json");
        if (!File.Exists(metaPath)) throw new FileNotFoundException($"{metaPath} is missing: prepare the dataset with shared/bench/ann/prepare.sh");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))?.AsObject() ?? throw new InvalidDataException($"{metaPath}: not a JSON object");
        string name = (string?)meta["name"] ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        string metric = (string?)meta["metric"] ?? throw new InvalidDataException($"{metaPath}: no metric");
        if (verify)
        {
            foreach (var file in new[] { "base.fvecs", "query.fvecs", "groundtruth.ivecs" })
                VerifyFile(Path.Combine(dir, file), meta["files"]?[file]);
        }
        var vectors = VecsFile.ReadFvecs(Path.Combine(dir, "base.fvecs"));
        int limit = maxQueries > 0 ? maxQueries : int.MaxValue;
        var queries = VecsFile.ReadFvecs(Path.Combine(dir, "query.fvecs"), limit);
        var truth = VecsFile.ReadIvecs(Path.Combine(dir, "groundtruth.ivecs"), limit);
        if (queries.Cols != vectors.Cols) throw new InvalidDataException($"{dir}: queries have {queries.Cols} dimensions, the base {vectors.Cols}");
        if (truth.Rows < queries.Rows) throw new InvalidDataException($"{dir}: {truth.Rows} ground-truth rows for {queries.Rows} queries");
        return new AnnDataset(name, metric, vectors, queries, truth);
    }

    /// <summary>Throws unless the file has the size and sha256 that meta.json records.</summary>
    public static void VerifyFile(string path, JsonNode? expected)
    {
        if (expected is null) throw new InvalidDataException($"meta.json has no entry for {Path.GetFileName(path)}");
        long bytes = (long?)expected["bytes"] ?? -1;
        string sha = (string?)expected["sha256"] ?? "";
        long actualBytes = new FileInfo(path).Length;
        if (bytes >= 0 && actualBytes != bytes) throw new InvalidDataException($"{path}: {actualBytes} bytes, meta.json says {bytes}");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: sha256 {actual}, meta.json says {sha} (re-run prepare.sh --force)");
    }
}
