namespace Grape.Core.Tests.Durability;

/// <summary>One write the crash host announced (a <c>TRY…</c> line), in the order it made them.</summary>
internal abstract record CrashOp
{
    public sealed record Upsert(ulong First, ulong Last, int Batch) : CrashOp;
    public sealed record Delete(ulong Id) : CrashOp;
    public sealed record SetPayload(ulong Id, long Value) : CrashOp;
}
