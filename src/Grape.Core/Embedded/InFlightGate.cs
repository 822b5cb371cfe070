namespace Grape.Core.Embedded;

/// <summary>Counts operations in flight; once closed, refuses entries and lets the closer wait for the count to reach zero.</summary>
internal sealed class InFlightGate
{
    // Bit 30 marks "closed"; the low bits count operations in flight. One atomic word, no lock on the hot path.
    private const int ClosedBit = 1 << 30;
    private int _word;
    private TaskCompletionSource? _drained;

    public int Count => Volatile.Read(ref _word) & ~ClosedBit;

    public bool TryEnter()
    {
        while (true)
        {
            int w = Volatile.Read(ref _word);
            if ((w & ClosedBit) != 0) return false;
            if (Interlocked.CompareExchange(ref _word, w + 1, w) == w) return true;
        }
    }

    public void Exit()
    {
        int w = Interlocked.Decrement(ref _word);
        if (w == ClosedBit) Volatile.Read(ref _drained)?.TrySetResult();
    }

    public void Close()
    {
        Interlocked.CompareExchange(ref _drained, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        int w = Interlocked.Or(ref _word, ClosedBit) | ClosedBit;
        if (w == ClosedBit) _drained!.TrySetResult();
    }

    public async Task<bool> WaitDrainedAsync(TimeSpan timeout)
    {
        var drained = Volatile.Read(ref _drained) ?? throw new InvalidOperationException("Close the gate first");
        if (Count == 0) return true;
        try { await drained.Task.WaitAsync(timeout).ConfigureAwait(false); return true; }
        catch (TimeoutException) { return Count == 0; }
    }

    /// <summary>Leaves the gate when disposed; use with <c>using</c>.</summary>
    public readonly struct Ticket(InFlightGate gate) : IDisposable
    {
        public void Dispose() => gate.Exit();
    }
}
