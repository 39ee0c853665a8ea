using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>
/// Local response normalisation in the paper's convention: b_i = a_i / (k + α Σ_{window} a_j²)^β, α not divided by n,
/// windows truncated at the channel edges.
/// </summary>
public sealed class LrnTests
{
    public sealed record LrnCase(int N, int C, int H, int W, int Size, float Alpha, float Beta, float K, int Seed)
    {
        public int[] X => [N, C, H, W];

        public override string ToString() => $"Lrn x{Nd.Format(X)} n {Size} α {Alpha} β {Beta} k {K} seed {Seed}";
    }

    private static Gen<LrnCase> Cases =>
        from n in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 8)
        from h in Gen.Choose(1, 3)
        from w in Gen.Choose(1, 3)
        from size in Gen.Elements(1, 3, 5, 7)
        from alpha in Gen.Elements(1e-4f, 0.05f, 0.3f, 1f)
        from beta in Gen.Elements(0.75f, 0.5f, 1f)
        from k in Gen.Elements(2f, 1f, 0.5f)
        from seed in Values.Seed
        select new LrnCase(n, c, h, w, size, alpha, beta, k, seed);

    /// <summary>Forward equals the paper's formula; backward equals finite differences of it.</summary>
    [Property(MaxTest = 80, Replay = "(1234567891,1098765433)")]
    public Property LrnMatchesThePaperFormulaAndFiniteDifferences() => Prop.ForAll(Cases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.X), -2, 2), c.X)],
                     t => Ops.Lrn(t[0], c.Size, c.Alpha, c.Beta, c.K),
                     t => Reference.Lrn(t[0], c.Size, c.Alpha, c.Beta, c.K), c.Seed));

    /// <summary>The paper's form with α equals the cuDNN/PyTorch form (α_torch/n·Σ) with α_torch = α·n.</summary>
    [Property(MaxTest = 40, Replay = "(1357924680,2468013579)")]
    public Property PaperAlphaEqualsTorchAlphaTimesN() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var values = Values.Uniform(c.Seed, Values.Count(c.X), -2, 2);
        using var x = Tensor.FromArray(values, new Shape(c.X));
        using var y = Ops.Lrn(x, c.Size, c.Alpha, c.Beta, c.K);
        var geometry = new LrnGeometry(c.N, c.C, c.H, c.W, c.Size, c.Alpha, c.Beta, c.K);
        Assert.Equal((double)c.Alpha * c.Size, geometry.CudnnAlpha, 12);
        var torch = Reference.LrnTorchForm(Nd.FromFloats(values, c.X), c.Size, geometry.CudnnAlpha, c.Beta, c.K);
        GradCheck.AssertClose(c + " vs PyTorch form", y.ToArray(), torch.Data, Tol.Forward);
    });

    [Fact]
    public void PassingThePaperAlphaToTheTorchFormIsNWeaker()
    {
        // The common mistake (α_torch = α) gives a different layer; the check above would catch a library doing that.
        var values = Values.Uniform(3, 1 * 6 * 2 * 2, -2, 2);
        using var x = Tensor.FromArray(values, new Shape(1, 6, 2, 2));
        using var y = Ops.Lrn(x, 5, 0.5f, 0.75f, 2f);
        var wrong = Reference.LrnTorchForm(Nd.FromFloats(values, [1, 6, 2, 2]), 5, 0.5, 0.75, 2);
        var actual = y.ToArray();
        Assert.Contains(Enumerable.Range(0, actual.Length), i => Math.Abs(actual[i] - wrong.Data[i]) > 1e-2);
    }

    [Fact]
    public void SizeOneIsElementwise()
    {
        var values = Values.Uniform(11, 2 * 3 * 2 * 2, -3, 3);
        using var x = Tensor.FromArray(values, new Shape(2, 3, 2, 2));
        const float alpha = 0.7f, beta = 0.75f, k = 2f;
        using var y = Ops.Lrn(x, 1, alpha, beta, k);
        var expected = values.Select(a => a / Math.Pow(k + alpha * (double)a * a, beta)).ToArray();
        GradCheck.AssertClose("Lrn n = 1", y.ToArray(), expected, Tol.Forward);
    }

    [Fact]
    public void WindowsAreTruncatedAtTheChannelEdges()
    {
        // Three channels, one pixel, n = 5: every window is cut to the channels that exist, so each sum is 1 + 4 + 9 = 14
        // (nothing wraps around and nothing is zero-padded into a wider window than the channels).
        using var x = Tensor.FromArray([1, 2, 3], new Shape(1, 3, 1, 1));
        using var y = Ops.Lrn(x, 5, 1f, 1f, 1f);
        GradCheck.AssertClose("Lrn n = 5 on 3 channels", y.ToArray(), [1 / 15.0, 2 / 15.0, 3 / 15.0], Tol.Forward);

        // Five channels, n = 3: channel 0 sees channels 0–1, channel 2 sees 1–3, channel 4 sees 3–4.
        using var z = Tensor.FromArray([1, 2, 3, 4, 5], new Shape(1, 5, 1, 1));
        using var b = Ops.Lrn(z, 3, 1f, 1f, 0f);
        GradCheck.AssertClose("Lrn n = 3 on 5 channels", b.ToArray(),
                              [1 / 5.0, 2 / 14.0, 3 / 29.0, 4 / 50.0, 5 / 41.0], Tol.Forward);
    }

    [Fact]
    public void PaperParametersAreTheDefaults()
    {
        var values = Values.Uniform(5, 1 * 7 * 3 * 3, -20, 20);
        using var x = Tensor.FromArray(values, new Shape(1, 7, 3, 3));
        using var y = Ops.Lrn(x);
        var expected = Reference.Lrn(Nd.FromFloats(values, [1, 7, 3, 3]), 5, 1e-4f, 0.75f, 2f);
        GradCheck.AssertClose("Lrn defaults", y.ToArray(), expected.Data, Tol.Forward);
    }
}
