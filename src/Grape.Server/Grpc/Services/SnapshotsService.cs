using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Services;

/// <summary>
/// <c>qdrant.Snapshots</c>: the engine has no snapshots yet, so every RPC keeps the generated base behaviour,
/// UNIMPLEMENTED. Mapped anyway so reflection lists the service and clients get a clear status, not a 404.
/// </summary>
internal sealed class SnapshotsService : P.Snapshots.SnapshotsBase;
