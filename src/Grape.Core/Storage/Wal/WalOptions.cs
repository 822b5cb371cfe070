namespace Grape.Core.Storage.Wal;

/// <summary>Settings of one log: file size and how many files to pre-create.</summary>
/// <param name="SegmentCapacityBytes">A new file is started when the current one would grow past this; a single
/// larger record still goes in, alone in its file.</param>
/// <param name="SegmentsAhead">Spare files the flusher keeps created and allocated so that starting a new file
/// costs only a rename.</param>
/// <param name="Durable">False for in-memory databases: no files, no fsync, records kept in memory.</param>
internal sealed record WalOptions(long SegmentCapacityBytes = 32L << 20, int SegmentsAhead = 0, bool Durable = true);
