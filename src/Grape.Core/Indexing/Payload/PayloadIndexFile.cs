namespace Grape.Core.Indexing.Payload;

/// <summary>A field index as the segment manifest registers it: the key, its schema (Qdrant's JSON form) and its file under <c>payload_index/</c>.</summary>
internal sealed record PayloadIndexFile(string Key, string SchemaJson, string File);
