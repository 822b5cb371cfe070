using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Query;

/// <summary>
/// A point found by a query stage: its id, the score the stage reports (Qdrant's, e.g. a distance for Euclid), where
/// its live copy sits in the pinned segment set, the version reported (0 for points listed without scoring, as in
/// Qdrant), and the value an order_by placed it by.
/// </summary>
internal readonly record struct Candidate(PointId Id, float Score, Segment Segment, uint Offset, ulong Version, OrderValue? Order = null);
