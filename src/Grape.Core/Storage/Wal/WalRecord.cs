namespace Grape.Core.Storage.Wal;

/// <summary>One record read back during replay.</summary>
internal readonly record struct WalRecord(ulong OpNum, ReadOnlyMemory<byte> Payload);
