using Grape.Core.Points;

namespace Grape.Core.Storage.Segments;

/// <summary>What the id tracker keeps per slot: the external id and the op number (version) that wrote the slot.</summary>
internal readonly record struct SlotIdentity(PointId Id, ulong Version);
