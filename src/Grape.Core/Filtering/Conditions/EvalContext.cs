using System.Globalization;
using Grape.Core.Points;

namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// What the compiled conditions see of one point while a filter is evaluated. The payload is parsed on first use,
/// so a filter that short-circuits on <c>has_id</c> never parses it.
/// </summary>
internal ref struct EvalContext
{
    private readonly ReadOnlySpan<byte> _json;
    private PayloadTape? _tape;
    private int _root;

    public EvalContext(ReadOnlySpan<byte> json, PointId id, ReadOnlySpan<bool> vectors)
    {
        _json = json;
        Id = id;
        Vectors = vectors;
        _root = -2; // not parsed yet
    }

    public readonly PointId Id { get; }

    /// <summary>Whether the point has each vector named by the filter, in the evaluator's order.</summary>
    public readonly ReadOnlySpan<bool> Vectors { get; }

    public readonly ReadOnlySpan<byte> Json => _json;

    /// <summary>The parsed payload (valid after <see cref="Root"/>).</summary>
    public readonly PayloadTape Tape => _tape!;

    /// <summary>The root object's node, or -1 when the point has no payload. Parses on first call.</summary>
    public int Root()
    {
        if (_root == -2)
        {
            _tape = PayloadTape.Rent();
            _root = _tape.Load(_json);
        }
        return _root;
    }

    public void Release()
    {
        if (_tape is not null) PayloadTape.Return(_tape);
        _tape = null;
    }

    public readonly PayloadNodeKind Kind(int node) => _tape![node].Kind;

    public readonly ReadOnlySpan<byte> Bytes(int node) => _tape!.Bytes(_json, node);

    /// <summary>The number as a double (Qdrant's <c>as_f64</c>): every JSON number has one.</summary>
    public readonly bool TryGetDouble(int node, out double value)
    {
        value = 0;
        return _tape![node].Kind == PayloadNodeKind.Number
            && double.TryParse(Bytes(node), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The number as an integer only when written as one that fits i64 (Qdrant's <c>as_i64</c>: <c>1.0</c>, <c>1e2</c>
    /// and values above <see cref="long.MaxValue"/> are not integers).
    /// </summary>
    public readonly bool TryGetInteger(int node, out long value)
    {
        value = 0;
        return _tape![node].Kind == PayloadNodeKind.Number
            && long.TryParse(Bytes(node), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
