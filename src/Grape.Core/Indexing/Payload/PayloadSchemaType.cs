namespace Grape.Core.Indexing.Payload;

/// <summary>Qdrant's payload index types (<c>PayloadSchemaType</c>), spelled in JSON in lower case.</summary>
public enum PayloadSchemaType { Keyword, Integer, Float, Geo, Text, Bool, Datetime, Uuid }

/// <summary>How a full-text index splits text into tokens (Qdrant's <c>TokenizerType</c>; <see cref="Word"/> by default).</summary>
public enum TokenizerType { Prefix, Whitespace, Word, Multilingual }
