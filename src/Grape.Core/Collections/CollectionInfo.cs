namespace Grape.Core.Collections;

/// <summary>Qdrant's collection status: green (ready), yellow (optimizing), grey (optimizations pending), red (failed).</summary>
public enum CollectionStatus { Green, Yellow, Grey, Red }

/// <summary>Qdrant's optimizer status.</summary>
public sealed record OptimizerStatus(bool Ok, string? Error = null);

/// <summary>A payload index as shown in <c>payload_schema</c>.</summary>
public sealed record PayloadIndexInfo(string DataType, long Points, System.Text.Json.Nodes.JsonObject? Params = null);

/// <summary>What Qdrant reports for a collection (<c>GET /collections/{name}</c>).</summary>
public sealed record CollectionInfo
{
    public required CollectionStatus Status { get; init; }
    public required OptimizerStatus OptimizerStatus { get; init; }
    public required long PointsCount { get; init; }
    public required long IndexedVectorsCount { get; init; }
    public required int SegmentsCount { get; init; }
    public required CollectionConfig Config { get; init; }
    public required IReadOnlyDictionary<string, PayloadIndexInfo> PayloadSchema { get; init; }
}

/// <summary>An alias and the collection it points at.</summary>
public sealed record AliasDescription(string AliasName, string CollectionName);

/// <summary>One step of an atomic alias change (Qdrant's <c>ChangeAliasesOperation</c> actions).</summary>
public abstract record AliasOperation;
public sealed record CreateAlias(string AliasName, string CollectionName) : AliasOperation;
public sealed record DeleteAlias(string AliasName) : AliasOperation;
public sealed record RenameAlias(string OldAliasName, string NewAliasName) : AliasOperation;
