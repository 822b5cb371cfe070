using Grape.Core.Collections;

namespace Grape.Core.Embedded;

public sealed partial class GrapeDatabase
{
    /// <summary>Creates a collection. Throws <see cref="Errors.AlreadyExistsException"/> if the name (or an alias) is taken,
    /// <see cref="Errors.BadRequestException"/> for an invalid name or configuration.</summary>
    public ValueTask<bool> CreateCollectionAsync(string name, CreateCollectionRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        _catalog.CreateCollection(name, request);
        return ValueTask.FromResult(true);
    }

    public bool CreateCollection(string name, CreateCollectionRequest request) => CreateCollectionAsync(name, request).GetAwaiter().GetResult();

    /// <summary>Changes a collection's settings (optimizers, hnsw, on_disk flags, metadata).</summary>
    public ValueTask<bool> UpdateCollectionAsync(string name, UpdateCollectionRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        _catalog.UpdateCollection(name, request);
        return ValueTask.FromResult(true);
    }

    public bool UpdateCollection(string name, UpdateCollectionRequest request) => UpdateCollectionAsync(name, request).GetAwaiter().GetResult();

    /// <summary>Deletes a collection and its aliases. Returns false if it did not exist (as Qdrant does).</summary>
    public ValueTask<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_catalog.DeleteCollection(name));
    }

    public bool DeleteCollection(string name) => DeleteCollectionAsync(name).GetAwaiter().GetResult();

    /// <summary>The names of every collection, sorted.</summary>
    public ValueTask<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.ListCollections());
    }

    public IReadOnlyList<string> ListCollections() => ListCollectionsAsync().GetAwaiter().GetResult();

    /// <summary>Whether a collection of that name exists (aliases do not count, as in Qdrant).</summary>
    public ValueTask<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.CollectionExists(name));
    }

    public bool CollectionExists(string name) => CollectionExistsAsync(name).GetAwaiter().GetResult();

    /// <summary>Status, counts, configuration and payload schema of a collection (or of the collection an alias names).</summary>
    public ValueTask<CollectionInfo> GetCollectionInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.Get(name).GetInfo());
    }

    public CollectionInfo GetCollectionInfo(string name) => GetCollectionInfoAsync(name).GetAwaiter().GetResult();

    /// <summary>Applies alias changes atomically: all of them or (on any error) none.</summary>
    public ValueTask<bool> UpdateAliasesAsync(IReadOnlyList<AliasOperation> operations, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        _catalog.UpdateAliases(operations);
        return ValueTask.FromResult(true);
    }

    public bool UpdateAliases(IReadOnlyList<AliasOperation> operations) => UpdateAliasesAsync(operations).GetAwaiter().GetResult();

    /// <summary>Every alias, or only those of one collection.</summary>
    public ValueTask<IReadOnlyList<AliasDescription>> ListAliasesAsync(string? collection = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.ListAliases(collection));
    }

    public IReadOnlyList<AliasDescription> ListAliases(string? collection = null) => ListAliasesAsync(collection).GetAwaiter().GetResult();
}
