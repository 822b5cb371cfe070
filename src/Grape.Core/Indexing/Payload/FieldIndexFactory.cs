namespace Grape.Core.Indexing.Payload;

internal static class FieldIndexFactory
{
    public static FieldIndex Create(string key, PayloadFieldSchema schema) => schema.Type switch
    {
        PayloadSchemaType.Keyword => new KeywordIndex(key, schema),
        PayloadSchemaType.Integer => new IntegerIndex(key, schema),
        PayloadSchemaType.Float => new FloatIndex(key, schema),
        PayloadSchemaType.Bool => new BoolIndex(key, schema),
        PayloadSchemaType.Datetime => new DatetimeIndex(key, schema),
        PayloadSchemaType.Uuid => new UuidIndex(key, schema),
        PayloadSchemaType.Geo => new GeoIndex(key, schema),
        _ => new TextIndex(key, schema),
    };
}
