using Grape.Core.Collections;
using Grape.Core.Indexing.Payload;

namespace Grape.Core.Embedded;

public sealed partial class GrapeDatabase
{
    /// <summary>
    /// Creates (or replaces, if the schema differs) the payload index of <paramref name="fieldName"/> (a key path) in
    /// every segment; logged like any write, so it survives a crash. Filters on the field then use it, facet needs it,
    /// and collection info lists it in <c>payload_schema</c>. Throws <see cref="Errors.BadRequestException"/> for a
    /// missing or invalid schema or key path.
    /// </summary>
    public ValueTask<UpdateResult> CreateFieldIndexAsync(string collection, string fieldName, PayloadFieldSchema? schema,
        WriteOptions? write = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return _catalog.Get(collection).CreateFieldIndexAsync(fieldName, schema, write ?? WriteOptions.Default, cancellationToken);
    }

    public UpdateResult CreateFieldIndex(string collection, string fieldName, PayloadFieldSchema? schema, WriteOptions? write = null)
        => Wait(CreateFieldIndexAsync(collection, fieldName, schema, write));

    /// <summary>Drops the payload index of <paramref name="fieldName"/> (a no-op if there is none, as in Qdrant).</summary>
    public ValueTask<UpdateResult> DeleteFieldIndexAsync(string collection, string fieldName, WriteOptions? write = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return _catalog.Get(collection).DeleteFieldIndexAsync(fieldName, write ?? WriteOptions.Default, cancellationToken);
    }

    public UpdateResult DeleteFieldIndex(string collection, string fieldName, WriteOptions? write = null)
        => Wait(DeleteFieldIndexAsync(collection, fieldName, write));

    /// <summary>
    /// Counts the values of an indexed keyword, integer, bool or uuid field among the points passing the filter.
    /// Throws <see cref="Errors.BadRequestException"/> if the field has no such index (Qdrant's rule).
    /// </summary>
    public ValueTask<FacetResponse> FacetAsync(string collection, FacetRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.Get(collection).Facet(request, cancellationToken));
    }

    public FacetResponse Facet(string collection, FacetRequest request) => FacetAsync(collection, request).GetAwaiter().GetResult();

    /// <summary>The collection behind a name, for tests that drive the optimizer or inspect segments.</summary>
    internal Collection CollectionForTests(string name) => _catalog.Get(name);
}
