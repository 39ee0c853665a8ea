using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Binary arithmetic with broadcasting, unary functions and scalar (affine) arithmetic against the float64 reference.</summary>
public sealed class ElementwiseTests
{
    public sealed record BinaryCase(string Op, int[] A, int[] B, bool WatchA, bool WatchB, int Seed)
    {
        public override string ToString() =>
            $"{Op} a{Nd.Format(A)}{(WatchA ? "" : " const")} b{Nd.Format(B)}{(WatchB ? "" : " const")} seed {Seed}";
    }

    /// <summary>An output shape, then each operand: some leading axes dropped and some axes set to 1 (broadcast).</summary>
    private static Gen<BinaryCase> BinaryCases =>
        from op in Gen.Elements("Add", "Sub", "Mul", "Div")
        from shape in Values.Shape(0, 4, 1, 4)
        from dropA in Gen.Choose(0, shape.Length)
        from dropB in Gen.Choose(0, shape.Length)
        from onesA in Gen.ArrayOf(Gen.Elements(false, false, true), shape.Length)
        from onesB in Gen.ArrayOf(Gen.Elements(false, false, true), shape.Length)
        from watch in Gen.Choose(0, 2)
        from seed in Values.Seed
        select new BinaryCase(op, Operand(shape, dropA, onesA), Operand(shape, dropB, onesB), watch != 2, watch != 1, seed);

    private static int[] Operand(int[] shape, int drop, bool[] ones) =>
        [.. Enumerable.Range(drop, shape.Length - drop).Select(i => ones[i] ? 1 : shape[i])];

    [Property(MaxTest = 150, Replay = "(2718281828,3141592653)")]
    public Property BinaryMatchesReferenceAndFiniteDifferences() => Prop.ForAll(BinaryCases.ToArbitrary(), c =>
    {
        var a = new Arg(Values.Uniform(c.Seed, Values.Count(c.A), -2, 2), c.A, c.WatchA);
        var b = new Arg(c.Op == "Div" ? Values.AwayFromZero(c.Seed + 1, Values.Count(c.B), 0.5, 2)
                                      : Values.Uniform(c.Seed + 1, Values.Count(c.B), -2, 2), c.B, c.WatchB);
        Func<Tensor[], Tensor> op = c.Op switch
        {
            "Add" => t => Ops.Add(t[0], t[1]),
            "Sub" => t => Ops.Sub(t[0], t[1]),
            "Mul" => t => Ops.Mul(t[0], t[1]),
            _ => t => Ops.Div(t[0], t[1]),
        };
        Func<double, double, double> f = c.Op switch
        {
            "Add" => (x, y) => x + y,
            "Sub" => (x, y) => x - y,
            "Mul" => (x, y) => x * y,
            _ => (x, y) => x / y,
        };
        GradCheck.Op(c.ToString(), [a, b], op, x => Reference.Binary(x[0], x[1], f), c.Seed);
    });

    [Fact]
    public void OperatorsAreTheBinaryOps()
    {
        using var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3));
        using var b = Tensor.FromArray([10, 20, 40], new Shape(3));
        using var sum = a + b;
        using var diff = a - b;
        using var prod = a * b;
        using var quot = a / b;
        using var neg = -a;
        Assert.Equal([11f, 22, 43, 14, 25, 46], sum.ToArray());
        Assert.Equal([-9f, -18, -37, -6, -15, -34], diff.ToArray());
        Assert.Equal([10f, 40, 120, 40, 100, 240], prod.ToArray());
        Assert.Equal([0.1f, 0.1f, 0.075f, 0.4f, 0.25f, 0.15f], quot.ToArray());
        Assert.Equal([-1f, -2, -3, -4, -5, -6], neg.ToArray());
    }

    public sealed record UnaryCase(string Op, int[] Shape, float S, float T, int Seed)
    {
        public override string ToString() => $"{Op} {Nd.Format(Shape)} s={S} t={T} seed {Seed}";
    }

    private static readonly string[] s_unaryOps =
        ["Neg", "-x", "Exp", "Log", "Relu", "Square", "Copy", "Affine", "x+s", "s+x", "x-s", "s-x", "x*s", "s*x", "x/s"];

    private static Gen<UnaryCase> UnaryCases =>
        from op in Gen.Elements(s_unaryOps)
        from shape in Values.Shape(0, 4, 1, 4)
        from s in Gen.Choose(-16, 16).Where(v => v != 0)
        from t in Gen.Choose(-16, 16)
        from seed in Values.Seed
        select new UnaryCase(op, shape, s / 8f, t / 8f, seed);

    [Property(MaxTest = 150, Replay = "(1618033988,7494894849)")]
    public Property UnaryAndScalarMatchReferenceAndFiniteDifferences() => Prop.ForAll(UnaryCases.ToArbitrary(), c =>
    {
        int n = Values.Count(c.Shape);
        float[] values = c.Op switch
        {
            "Log" => Values.Uniform(c.Seed, n, 0.2, 3),
            "Relu" => Values.AwayFromZero(c.Seed, n, 0.05, 2),
            _ => Values.Uniform(c.Seed, n, -2, 2),
        };
        float s = c.S, t = c.T;
        Func<Tensor, Tensor> op = c.Op switch
        {
            "Neg" => Ops.Neg,
            "-x" => x => -x,
            "Exp" => Ops.Exp,
            "Log" => Ops.Log,
            "Relu" => Ops.Relu,
            "Square" => Ops.Square,
            "Copy" => x => Ops.Copy(x),
            "Affine" => x => Ops.Affine(x, s, t),
            "x+s" => x => x + s,
            "s+x" => x => s + x,
            "x-s" => x => x - s,
            "s-x" => x => s - x,
            "x*s" => x => x * s,
            "s*x" => x => s * x,
            _ => x => x / s,
        };
        Func<double, double> f = c.Op switch
        {
            "Neg" or "-x" => x => -x,
            "Exp" => Math.Exp,
            "Log" => Math.Log,
            "Relu" => x => Math.Max(x, 0),
            "Square" => x => x * x,
            "Copy" => x => x,
            "Affine" => x => s * x + t,
            "x+s" or "s+x" => x => x + s,
            "x-s" => x => x - s,
            "s-x" => x => s - x,
            "x*s" or "s*x" => x => x * s,
            _ => x => x / s,
        };
        GradCheck.Op(c.ToString(), [new Arg(values, c.Shape)], x => op(x[0]), x => Reference.Map(x[0], f), c.Seed);
    });
}
