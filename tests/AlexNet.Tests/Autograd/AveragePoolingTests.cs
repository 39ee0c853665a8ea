using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>AvgPool2d (PyTorch's count_include_pad=True) and AdaptiveAvgPool2d (PyTorch's windows, up- and downsampling)
/// against float64 references and finite differences, and their bad inputs.</summary>
public sealed class AveragePoolingTests
{
    public sealed record AvgCase(int N, int C, int H, int W, int Kernel, int Stride, int Pad, int Seed)
    {
        public int[] X => [N, C, H, W];

        public override string ToString() => $"AvgPool2d x{Nd.Format(X)} kernel {Kernel} stride {Stride} pad {Pad} seed {Seed}";
    }

    public sealed record AdaptiveCase(int N, int C, int H, int W, int OutH, int OutW, int Seed)
    {
        public int[] X => [N, C, H, W];

        public override string ToString() => $"AdaptiveAvgPool2d x{Nd.Format(X)} to {OutH}×{OutW} seed {Seed}";
    }

    private static Gen<AvgCase> AvgCases =>
        (from n in Gen.Choose(1, 2)
         from c in Gen.Choose(1, 3)
         from h in Gen.Choose(1, 9)
         from w in Gen.Choose(1, 9)
         from ks in Gen.OneOf(Gen.Constant((3, 2)), Gen.Choose(1, 5).Zip(Gen.Choose(1, 3)))
         from pad in Gen.Choose(0, ks.Item1 / 2)
         from seed in Values.Seed
         select new AvgCase(n, c, h, w, ks.Item1, ks.Item2, pad, seed))
        .Where(c => c.H + 2 * c.Pad >= c.Kernel && c.W + 2 * c.Pad >= c.Kernel);

    private static Gen<AdaptiveCase> AdaptiveCases =>
        from n in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 3)
        from h in Gen.Choose(1, 9)
        from w in Gen.Choose(1, 9)
        from oh in Gen.Choose(1, 8)
        from ow in Gen.Choose(1, 8)
        from seed in Values.Seed
        select new AdaptiveCase(n, c, h, w, oh, ow, seed);

    [Property(MaxTest = 80, Replay = "(1618033988,7498948483)")]
    public Property AvgPool2dMatchesReferenceAndFiniteDifferences() => Prop.ForAll(AvgCases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.X)), c.X)],
                     t => Ops.AvgPool2d(t[0], c.Kernel, c.Stride, c.Pad),
                     t => AveragePoolingReference.AvgPool2d(t[0], c.Kernel, c.Stride, c.Pad), c.Seed));

    [Property(MaxTest = 80, Replay = "(2718281828,4590452353)")]
    public Property AdaptiveAvgPool2dMatchesReferenceAndFiniteDifferences() => Prop.ForAll(AdaptiveCases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.X)), c.X)],
                     t => Ops.AdaptiveAvgPool2d(t[0], c.OutH, c.OutW),
                     t => AveragePoolingReference.AdaptiveAvgPool2d(t[0], c.OutH, c.OutW), c.Seed));

    /// <summary>torchvision's AlexNet: 13×13 → 6×6 (overlapping windows of 3), 6×6 → 6×6 (identity) and 1×1 → 6×6 (a 64×64 image).</summary>
    [Theory]
    [InlineData(2, 3, 13, 13)]
    [InlineData(1, 4, 6, 6)]
    [InlineData(2, 5, 1, 1)]
    [InlineData(1, 2, 27, 27)]
    public void AdaptiveAvgPool2dOnTorchvisionSizes(int n, int c, int h, int w)
    {
        var kase = new AdaptiveCase(n, c, h, w, 6, 6, 11 + h);
        GradCheck.Op(kase.ToString(), [new Arg(Values.Uniform(kase.Seed, Values.Count(kase.X)), kase.X)],
                     t => Ops.AdaptiveAvgPool2d(t[0], 6, 6),
                     t => AveragePoolingReference.AdaptiveAvgPool2d(t[0], 6, 6), kase.Seed);
    }

    [Fact]
    public void AdaptivePoolingOfOneValueRepeatsIt()
    {
        using var x = Tensor.FromArray([1.5f, -2f], new Shape(1, 2, 1, 1));
        using var y = Ops.AdaptiveAvgPool2d(x, 6, 6);
        Assert.Equal(new Shape(1, 2, 6, 6), y.Shape);
        var v = y.ToArray();
        Assert.All(v[..36], e => Assert.Equal(1.5f, e));
        Assert.All(v[36..], e => Assert.Equal(-2f, e));
    }

    [Fact]
    public void AvgPoolCountsPaddingInTheDivisor()
    {
        // 2×2 ones, kernel 3 stride 1 pad 1: every window holds the 4 ones and 5 padding cells, so every output is 4/9.
        using var x = Tensor.FromArray([1f, 1f, 1f, 1f], new Shape(1, 1, 2, 2));
        using var y = Ops.AvgPool2d(x, 3, 1, 1);
        Assert.All(y.ToArray(), e => Assert.Equal(4f / 9f, e, 6));
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, 2, 2, 0, "[N, C, H, W]")]
    [InlineData(new[] { 1, 1, 4, 4 }, 0, 1, 0, "must be ≥ 1")]
    [InlineData(new[] { 1, 1, 4, 4 }, 2, 0, 0, "must be ≥ 1")]
    [InlineData(new[] { 1, 1, 4, 4 }, 3, 1, 2, "kernel/2")]
    [InlineData(new[] { 1, 1, 2, 2 }, 5, 1, 1, "larger than the padded input")]
    [InlineData(new[] { 0, 1, 4, 4 }, 2, 2, 0, "empty")]
    public void AvgPoolBadInputsNameTheProblem(int[] shape, int kernel, int stride, int pad, string expected)
    {
        using var x = Tensor.Zeros(new Shape(shape));
        var e = Assert.Throws<ArgumentException>(() => Ops.AvgPool2d(x, kernel, stride, pad));
        Assert.Contains("AvgPool2d", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(new[] { 3, 4, 4 }, 2, 2, "[N, C, H, W]")]
    [InlineData(new[] { 1, 1, 4, 4 }, 0, 2, "at least 1×1")]
    [InlineData(new[] { 1, 1, 4, 4 }, 2, -1, "at least 1×1")]
    [InlineData(new[] { 1, 0, 4, 4 }, 2, 2, "empty")]
    public void AdaptivePoolBadInputsNameTheProblem(int[] shape, int outH, int outW, string expected)
    {
        using var x = Tensor.Zeros(new Shape(shape));
        var e = Assert.Throws<ArgumentException>(() => Ops.AdaptiveAvgPool2d(x, outH, outW));
        Assert.Contains("AdaptiveAvgPool2d", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
