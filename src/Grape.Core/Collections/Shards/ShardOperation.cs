using Grape.Core.Points;

namespace Grape.Core.Collections.Shards;

/// <summary>
/// A write in the resolved form the shard logs and applies: filters are already turned into ids (under the shard's
/// write lock), vectors already validated and preprocessed (cosine normalized), payloads already UTF-8 JSON.
/// Replaying the log applies exactly these records again, so replay is deterministic.
/// </summary>
internal abstract record ShardOperation
{
    /// <summary>Insert or replace whole points. <see cref="ShardPoint.Vectors"/> is indexed like the segment's vector specs.</summary>
    public sealed record Upsert(ShardPoint[] Points) : ShardOperation;

    public sealed record Delete(PointId[] Ids) : ShardOperation;

    /// <summary>Set (merge) or overwrite payload of existing points; <see cref="Key"/> is the nested path for set.</summary>
    public sealed record SetPayload(PointId[] Ids, byte[] PayloadJson, string? Key, bool Overwrite) : ShardOperation;

    public sealed record DeletePayload(PointId[] Ids, string[] Keys) : ShardOperation;

    public sealed record ClearPayload(PointId[] Ids) : ShardOperation;

    /// <summary>Replace some vectors of existing points, keeping the others (entries null = keep).</summary>
    public sealed record UpdateVectors(ShardPoint[] Points) : ShardOperation;

    /// <summary>Remove vectors (by column index) from existing points.</summary>
    public sealed record DeleteVectors(PointId[] Ids, int[] VectorIndexes) : ShardOperation;

    /// <summary>Build (in every segment) and keep an index of a payload key; replaces an index of another schema.</summary>
    public sealed record CreateFieldIndex(string Key, Indexing.Payload.PayloadFieldSchema Schema) : ShardOperation;

    /// <summary>Drop the index of a payload key from every segment.</summary>
    public sealed record DeleteFieldIndex(string Key) : ShardOperation;
}

/// <summary>One point of an upsert: vectors by column (null = absent) and payload JSON (empty = none).</summary>
internal sealed record ShardPoint(PointId Id, float[]?[] Vectors, byte[] PayloadJson);
