using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Core.Collections;

/// <summary>A collection: its configuration and its shard(s). Validates every request against the config before it touches storage.</summary>
internal sealed partial class Collection : IDisposable
{
    public string Name { get; }
    public CollectionConfig Config => throw new NotImplementedException();
    public event Action<Exception>? Faulted;

    private Collection(string name) => Name = name;

    public static Collection Create(string name, string directory, CollectionConfig config, GrapeOptions options) => throw new NotImplementedException();
    public static Collection Open(string name, string directory, GrapeOptions options) => throw new NotImplementedException();

    public CollectionInfo GetInfo() => throw new NotImplementedException();
    public void UpdateConfig(UpdateCollectionRequest request) => throw new NotImplementedException();

    public ValueTask<UpdateResult> UpdateAsync(UpdateOperation operation, WriteOptions write, CancellationToken cancellationToken) => throw new NotImplementedException();
    public ValueTask<IReadOnlyList<UpdateResult>> BatchUpdateAsync(IReadOnlyList<UpdateOperation> operations, WriteOptions write, CancellationToken cancellationToken) => throw new NotImplementedException();

    public IReadOnlyList<Record> Retrieve(IReadOnlyList<PointId> ids, PayloadSelector withPayload, VectorSelector withVectors) => throw new NotImplementedException();
    public IReadOnlyList<ScoredPoint> Search(SearchRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();
    public ScrollResult Scroll(ScrollRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();
    public long Count(CountRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    public void DisposeAndDeleteFiles() => throw new NotImplementedException();
    internal void RaiseFaulted(Exception e) => Faulted?.Invoke(e);
    public void Dispose() => throw new NotImplementedException();
}
