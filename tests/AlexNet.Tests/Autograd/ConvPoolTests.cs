using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Conv2d (NCHW, stride, padding, groups, bias) and MaxPool2d (kernel, stride, padding).</summary>
public sealed class ConvPoolTests
{
    public sealed record ConvCase(int N, int C, int H, int W, int O, int Kh, int Kw, int Stride, int Pad, int Groups,
                                  bool Bias, int Watch, int Seed)
    {
        public int[] X => [N, C, H, W];

        public int[] Weight => [O, C / Groups, Kh, Kw];

        public override string ToString() =>
            $"Conv2d x{Nd.Format(X)} w{Nd.Format(Weight)} stride {Stride} pad {Pad} groups {Groups} bias {Bias} watch mask {Watch} seed {Seed}";
    }

    private static Gen<ConvCase> ConvCases =>
        (from n in Gen.Choose(1, 2)
         from groups in Gen.Elements(1, 2)
         from cg in Gen.Choose(1, 3)
         from og in Gen.Choose(1, 3)
         from h in Gen.Choose(1, 7)
         from w in Gen.Choose(1, 7)
         from kh in Gen.Choose(1, 3)
         from kw in Gen.Choose(1, 3)
         from stride in Gen.Choose(1, 3)
         from pad in Gen.Choose(0, 2)
         from bias in Gen.Elements(false, true)
         from watch in Gen.Choose(1, 7)
         from seed in Values.Seed
         select new ConvCase(n, groups * cg, h, w, groups * og, kh, kw, stride, pad, groups, bias, watch, seed))
        .Where(c => c.H + 2 * c.Pad >= c.Kh && c.W + 2 * c.Pad >= c.Kw);

    [Property(MaxTest = 80, Replay = "(3141592653,5897932385)")]
    public Property Conv2dMatchesReferenceAndFiniteDifferences() => Prop.ForAll(ConvCases.ToArbitrary(), CheckConv);

    /// <summary>The paper's first two layers in miniature: 11×11 stride 4, and 5×5 pad 2 split in two towers.</summary>
    [Theory]
    [InlineData(1, 3, 19, 4, 11, 4, 2, 1)]
    [InlineData(2, 4, 7, 4, 5, 1, 2, 2)]
    [InlineData(1, 4, 5, 6, 3, 1, 1, 2)]
    public void Conv2dOnPaperLikeGeometries(int n, int c, int hw, int o, int k, int stride, int pad, int groups) =>
        CheckConv(new ConvCase(n, c, hw, hw, o, k, k, stride, pad, groups, Bias: true, Watch: 7, Seed: 42 + k));

    private static void CheckConv(ConvCase c)
    {
        var x = new Arg(Values.Uniform(c.Seed, Values.Count(c.X)), c.X, (c.Watch & 1) != 0);
        var w = new Arg(Values.Uniform(c.Seed + 1, Values.Count(c.Weight)), c.Weight, (c.Watch & 2) != 0 || !c.Bias);
        Arg[] args = c.Bias ? [x, w, new Arg(Values.Uniform(c.Seed + 2, c.O), [c.O], (c.Watch & 4) != 0)] : [x, w];
        GradCheck.Op(c.ToString(), args,
                     t => Ops.Conv2d(t[0], t[1], c.Bias ? t[2] : null, c.Stride, c.Pad, c.Groups),
                     t => Reference.Conv2d(t[0], t[1], c.Bias ? t[2] : null, c.Stride, c.Pad, c.Groups), c.Seed);
    }

    public sealed record PoolCase(int N, int C, int H, int W, int Kernel, int Stride, int Pad, int Seed)
    {
        public int[] X => [N, C, H, W];

        public override string ToString() => $"MaxPool2d x{Nd.Format(X)} kernel {Kernel} stride {Stride} pad {Pad} seed {Seed}";
    }

    private static Gen<PoolCase> PoolCases =>
        (from n in Gen.Choose(1, 2)
         from c in Gen.Choose(1, 3)
         from h in Gen.Choose(1, 8)
         from w in Gen.Choose(1, 8)
         from ks in Gen.OneOf(Gen.Constant((3, 2)), Gen.Choose(1, 3).Zip(Gen.Choose(1, 3)))
         from pad in Gen.Choose(0, ks.Item1 / 2)
         from seed in Values.Seed
         select new PoolCase(n, c, h, w, ks.Item1, ks.Item2, pad, seed))
        .Where(c => c.H + 2 * c.Pad >= c.Kernel && c.W + 2 * c.Pad >= c.Kernel);

    [Property(MaxTest = 80, Replay = "(2653589793,2384626433)")]
    public Property MaxPool2dMatchesReferenceAndFiniteDifferences() => Prop.ForAll(PoolCases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString(), [new Arg(Values.Distinct(c.Seed, Values.Count(c.X)), c.X)],
                     t => Ops.MaxPool2d(t[0], c.Kernel, c.Stride, c.Pad),
                     t => Reference.MaxPool2d(t[0], c.Kernel, c.Stride, c.Pad), c.Seed));

    [Fact]
    public void OverlappingPoolingHasThePapersOutputSize()
    {
        // 55 → 27 and 13 → 6 in the paper (kernel 3, stride 2).
        using var a = Tensor.Zeros(new Shape(1, 1, 55, 55));
        using var b = Tensor.Zeros(new Shape(1, 2, 13, 13));
        using var pa = Ops.MaxPool2d(a, 3, 2);
        using var pb = Ops.MaxPool2d(b, 3, 2);
        Assert.Equal(new Shape(1, 1, 27, 27), pa.Shape);
        Assert.Equal(new Shape(1, 2, 6, 6), pb.Shape);
    }

    [Fact]
    public void MaxPoolTiesRouteTheGradientToTheFirstMaximumAndOverlapsAccumulate()
    {
        // All equal: each 2×2 window (stride 1) sends its gradient to its top-left cell.
        using var x = Tensor.Zeros(new Shape(1, 1, 3, 3));
        var g = Autodiff.Grad(p => Ops.Sum(Ops.MaxPool2d(p["x"], 2, 1)), TensorMap.Empty.Add("x", x));
        Assert.Equal([1f, 1, 0, 1, 1, 0, 0, 0, 0], g["x"].ToArray());
        g.DisposeAll();

        // One clear maximum in the middle is in all four overlapping windows.
        using var y = Tensor.FromArray([0, 0, 0, 0, 9, 0, 0, 0, 0], new Shape(1, 1, 3, 3));
        var h = Autodiff.Grad(p => Ops.Sum(Ops.MaxPool2d(p["y"], 2, 1)), TensorMap.Empty.Add("y", y));
        Assert.Equal([0f, 0, 0, 0, 4, 0, 0, 0, 0], h["y"].ToArray());
        h.DisposeAll();
    }

    [Fact]
    public void MaxPoolPaddingNeverWins()
    {
        using var x = Tensor.Full(new Shape(1, 1, 2, 2), -5f);
        using var y = Ops.MaxPool2d(x, 3, 1, 1);
        Assert.Equal(Enumerable.Repeat(-5f, 4), y.ToArray());
    }
}
