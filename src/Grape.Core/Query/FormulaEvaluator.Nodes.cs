using Grape.Core.Collections.Shards;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Query;

// The compiled expression tree: one node class per operator, evaluated recursively.
internal sealed partial class FormulaEvaluator
{
    private abstract class Node
    {
        public abstract double Eval(ref Context ctx);
    }

    private sealed class ConstantNode(double value) : Node
    {
        public override double Eval(ref Context ctx) => value;
    }

    private sealed class ScoreNode(int index) : Node
    {
        public override double Eval(ref Context ctx) => ctx.Owner.ScoreOf(ref ctx, index);
    }

    private sealed class PayloadNode(JsonPath path) : Node
    {
        public override double Eval(ref Context ctx) => ctx.Owner.Number(ref ctx, path);
    }

    private sealed class ConditionNode(int index) : Node
    {
        public override double Eval(ref Context ctx) =>
            ctx.Owner._conditions[index].Matches(new SegmentPoint(ctx.Segment, ctx.Offset, ctx.Specs)) ? 1.0 : 0.0;
    }

    private sealed class GeoDistanceNode(GeoPoint origin, JsonPath to) : Node
    {
        public override double Eval(ref Context ctx) => ctx.Owner.Distance(ref ctx, origin, to);
    }

    private sealed class DatetimeKeyNode(JsonPath key) : Node
    {
        public override double Eval(ref Context ctx) => ctx.Owner.DatetimeSeconds(ref ctx, key);
    }

    private sealed class MultNode(Node[] factors) : Node
    {
        public override double Eval(ref Context ctx)
        {
            double product = 1.0;
            foreach (var f in factors)
            {
                double v = f.Eval(ref ctx);
                if (v == 0.0) return 0.0; // Qdrant stops at a zero factor: later factors are not evaluated
                product *= v;
            }
            return product;
        }
    }

    private sealed class SumNode(Node[] terms) : Node
    {
        public override double Eval(ref Context ctx)
        {
            double sum = 0.0;
            foreach (var t in terms) sum += t.Eval(ref ctx);
            return sum;
        }
    }

    private enum UnaryOp { Neg, Abs, Sqrt, Exp, Log10, Ln }

    private sealed class UnaryNode(UnaryOp op, Node value) : Node
    {
        public override double Eval(ref Context ctx)
        {
            double v = value.Eval(ref ctx);
            switch (op)
            {
                case UnaryOp.Neg: return -v;
                case UnaryOp.Abs: return Math.Abs(v);
                case UnaryOp.Sqrt: return Finite(Math.Sqrt(v), r => $"√{Rust(v)} = {Rust(r)}");
                case UnaryOp.Exp: return Finite(Math.Exp(v), r => $"exp({Rust(v)}) = {Rust(r)}");
                case UnaryOp.Log10: return Finite(Math.Log10(v), r => $"log10({Rust(v)}) = {Rust(r)}");
                default: return Finite(Math.Log(v), r => $"ln({Rust(v)}) = {Rust(r)}");
            }
        }
    }

    private sealed class DivNode(Node left, Node right, float? byZeroDefault) : Node
    {
        public override double Eval(ref Context ctx)
        {
            double l = left.Eval(ref ctx);
            if (l == 0.0) return 0.0; // a zero numerator wins even over a zero divisor, as in Qdrant
            double r = right.Eval(ref ctx);
            if (r == 0.0 && byZeroDefault is { } d) return d;
            return Finite(l / r, q => $"{Rust(l)}/{Rust(r)} = {Rust(q)}");
        }
    }

    private sealed class PowNode(Node @base, Node exponent) : Node
    {
        public override double Eval(ref Context ctx)
        {
            double b = @base.Eval(ref ctx), e = exponent.Eval(ref ctx);
            return Finite(Math.Pow(b, e), p => $"{Rust(b)}^{Rust(e)} = {Rust(p)}");
        }
    }

    private sealed class DecayNode(DecayKind kind, Node x, Node? target, double lambda) : Node
    {
        public override double Eval(ref Context ctx)
        {
            double xv = x.Eval(ref ctx);
            double t = target is null ? 0.0 : target.Eval(ref ctx);
            double diff = xv - t;
            return kind switch
            {
                DecayKind.Exp => Math.Exp(lambda * Math.Abs(diff)),
                DecayKind.Gauss => Math.Exp(lambda * diff * diff),
                _ => Math.Max(-lambda * Math.Abs(diff) + 1.0, 0.0),
            };
        }
    }

    private static double Finite(double value, Func<double, string> describe) =>
        double.IsFinite(value) ? value : throw NonFinite(describe(value));
}
