namespace Grape.Core.Storage.Payload;

/// <summary>Where a slot's payload lies in the blob file; <see cref="Length"/> 0 means no payload.</summary>
internal readonly record struct PayloadRef(long Offset, int Length);
