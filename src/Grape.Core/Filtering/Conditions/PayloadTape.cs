using System.Runtime.CompilerServices;
using System.Text.Json;
using Grape.Core.Errors;

namespace Grape.Core.Filtering.Conditions;

internal enum PayloadNodeKind : byte { Object, Array, Property, String, Number, True, False, Null }

/// <summary>One JSON token of a parsed payload.</summary>
internal struct PayloadNode
{
    public PayloadNodeKind Kind;
    /// <summary>The bytes live in the tape's unescape buffer instead of the payload (strings with escapes).</summary>
    public bool InSide;
    /// <summary>Offset and length of the token's bytes: string contents without quotes, number text, property name.</summary>
    public int Start, Length;
    /// <summary>Index of the first node after this one's subtree (its next sibling, or the parent's end).</summary>
    public int End;
    /// <summary>Elements of an array, properties of an object.</summary>
    public int Count;
}

/// <summary>
/// A payload parsed once into a flat table of nodes (a "tape"), walked by key paths without allocating.
/// Property <c>p</c> of an object is followed by its value at <c>p + 1</c>; the next property is at the value's
/// <see cref="PayloadNode.End"/>. Instances are scratch, cached per thread and reused across points.
/// </summary>
internal sealed class PayloadTape
{
    [ThreadStatic] private static PayloadTape? t_cached;

    private PayloadNode[] _nodes = new PayloadNode[64];
    private byte[] _side = new byte[256];
    private int[] _stack = new int[16];
    private int _count, _sideUsed;

    public static PayloadTape Rent()
    {
        var tape = t_cached;
        if (tape is null) return new PayloadTape();
        t_cached = null; // a nested rent on this thread (should not happen) gets a fresh tape
        return tape;
    }

    public static void Return(PayloadTape tape)
    {
        // Don't let one huge payload pin a huge buffer to the thread forever.
        if (tape._nodes.Length <= 1 << 16 && tape._side.Length <= 1 << 20) t_cached = tape;
    }

    public int Count => _count;

    public ref readonly PayloadNode this[int index] => ref _nodes[index];

    public ReadOnlySpan<byte> SideBytes => _side;

    /// <summary>Parses <paramref name="json"/>; returns the root object's node, or -1 if there is no payload.</summary>
    public int Load(ReadOnlySpan<byte> json)
    {
        _count = 0;
        _sideUsed = 0;
        if (json.IsEmpty) return -1;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 512 });
            int depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        {
                            int node = Add(reader.TokenType == JsonTokenType.StartObject ? PayloadNodeKind.Object : PayloadNodeKind.Array,
                                (int)reader.TokenStartIndex, 0, false, depth);
                            if (depth == _stack.Length) Array.Resize(ref _stack, depth * 2);
                            _stack[depth++] = node;
                            break;
                        }
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        _nodes[_stack[--depth]].End = _count;
                        break;
                    case JsonTokenType.PropertyName:
                        AddText(ref reader, PayloadNodeKind.Property, depth);
                        break;
                    case JsonTokenType.String:
                        AddText(ref reader, PayloadNodeKind.String, depth);
                        break;
                    case JsonTokenType.Number:
                        Add(PayloadNodeKind.Number, (int)reader.TokenStartIndex, reader.ValueSpan.Length, false, depth);
                        break;
                    case JsonTokenType.True: Add(PayloadNodeKind.True, (int)reader.TokenStartIndex, 4, false, depth); break;
                    case JsonTokenType.False: Add(PayloadNodeKind.False, (int)reader.TokenStartIndex, 5, false, depth); break;
                    case JsonTokenType.Null: Add(PayloadNodeKind.Null, (int)reader.TokenStartIndex, 4, false, depth); break;
                }
            }
        }
        catch (JsonException e)
        {
            ThrowHelper.Corrupted("A stored payload is not valid JSON", e);
        }
        return _count > 0 && _nodes[0].Kind == PayloadNodeKind.Object ? 0 : -1;
    }

    private void AddText(ref Utf8JsonReader reader, PayloadNodeKind kind, int depth)
    {
        if (!reader.ValueIsEscaped)
        {
            // +1 skips the opening quote: the span is the raw, already valid UTF-8 contents.
            Add(kind, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, false, depth);
            return;
        }
        int need = reader.ValueSpan.Length; // unescaping never grows the text
        if (_sideUsed + need > _side.Length) Array.Resize(ref _side, Math.Max(_side.Length * 2, _sideUsed + need));
        int written = reader.CopyString(_side.AsSpan(_sideUsed));
        Add(kind, _sideUsed, written, true, depth);
        _sideUsed += written;
    }

    private int Add(PayloadNodeKind kind, int start, int length, bool inSide, int depth)
    {
        if (_count == _nodes.Length) Array.Resize(ref _nodes, _nodes.Length * 2);
        int index = _count++;
        ref var n = ref _nodes[index];
        n.Kind = kind; n.Start = start; n.Length = length; n.InSide = inSide; n.End = index + 1; n.Count = 0;
        // A property name counts toward its object; a value counts toward its array (not toward an object,
        // whose count is already bumped by the property name in front of it).
        if (depth > 0)
        {
            ref var parent = ref _nodes[_stack[depth - 1]];
            if (kind == PayloadNodeKind.Property || parent.Kind == PayloadNodeKind.Array) parent.Count++;
        }
        return index;
    }

    /// <summary>The value node of the last property named <paramref name="key"/> in object <paramref name="obj"/>, or -1.</summary>
    /// <remarks>Last wins on duplicate names, as when Qdrant reads the payload into a map.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FindProperty(ReadOnlySpan<byte> json, int obj, ReadOnlySpan<byte> key)
    {
        int found = -1, p = obj + 1, end = _nodes[obj].End;
        while (p < end)
        {
            ref readonly var prop = ref _nodes[p];
            if (prop.Length == key.Length && Bytes(json, p).SequenceEqual(key)) found = p + 1;
            p = _nodes[p + 1].End;
        }
        return found;
    }

    /// <summary>The <paramref name="index"/>-th element of array <paramref name="array"/>, or -1.</summary>
    public int ElementAt(int array, int index)
    {
        if ((uint)index >= (uint)_nodes[array].Count) return -1;
        int e = array + 1;
        for (int i = 0; i < index; i++) e = _nodes[e].End;
        return e;
    }

    /// <summary>The text of a string, number or property node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> json, int node)
    {
        ref readonly var n = ref _nodes[node];
        return n.InSide ? _side.AsSpan(n.Start, n.Length) : json.Slice(n.Start, n.Length);
    }
}
