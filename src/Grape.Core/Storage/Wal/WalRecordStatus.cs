namespace Grape.Core.Storage.Wal;

/// <summary>What <see cref="WalRecordFormat.TryRead"/> found at an offset.</summary>
internal enum WalRecordStatus
{
    /// <summary>A complete record whose checksum matches.</summary>
    Valid,
    /// <summary>Nothing more: the data ends exactly here, or only zeros follow (preallocated or zero-extended space).</summary>
    End,
    /// <summary>The header or the payload is cut short: a write that did not finish.</summary>
    Torn,
    /// <summary>A complete record whose checksum does not match its content.</summary>
    ChecksumMismatch,
}
