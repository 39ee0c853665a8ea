using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Softmax, log-softmax and the fused softmax cross-entropy.</summary>
public sealed class SoftmaxTests
{
    public sealed record SoftmaxCase(int[] Shape, bool Log, double Spread, int Seed)
    {
        public override string ToString() => $"{(Log ? "LogSoftmax" : "Softmax")} {Nd.Format(Shape)} values ±{Spread} seed {Seed}";
    }

    private static Gen<SoftmaxCase> SoftmaxCases =>
        from shape in Values.Shape(1, 3, 1, 6)
        from log in Gen.Elements(false, true)
        from spread in Gen.Elements(1.0, 4.0, 10.0)
        from seed in Values.Seed
        select new SoftmaxCase(shape, log, spread, seed);

    [Property(MaxTest = 80, Replay = "(1212121213,3434343435)")]
    public Property SoftmaxMatchesReferenceAndFiniteDifferences() => Prop.ForAll(SoftmaxCases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.Shape), -c.Spread, c.Spread), c.Shape)],
                     t => c.Log ? Ops.LogSoftmax(t[0]) : Ops.Softmax(t[0]),
                     t => Reference.Softmax(t[0], c.Log), c.Seed));

    [Fact]
    public void SoftmaxIsStableForHugeLogits()
    {
        using var x = Tensor.FromArray([1e4f, -1e4f, 0f, 1e4f - 1f], new Shape(1, 4));
        using var s = Ops.Softmax(x);
        using var l = Ops.LogSoftmax(x);
        var expectedS = Reference.Softmax(Nd.FromFloats(x.ToArray(), [1, 4]), log: false);
        var expectedL = Reference.Softmax(Nd.FromFloats(x.ToArray(), [1, 4]), log: true);
        GradCheck.AssertClose("softmax of ±1e4", s.ToArray(), expectedS.Data, Tol.Forward);
        GradCheck.AssertClose("log-softmax of ±1e4", l.ToArray(), expectedL.Data, Tol.Forward);
    }

    public sealed record CrossEntropyCase(int N, int C, int[] Labels, string Variant, int Seed)
    {
        public override string ToString() => $"SoftmaxCrossEntropy ({Variant}) logits [{N}, {C}] labels {Nd.Format(Labels)} seed {Seed}";
    }

    private static Gen<CrossEntropyCase> CrossEntropyCases =>
        from n in Gen.Choose(1, 5)
        from c in Gen.Choose(1, 7)
        from labels in Gen.ArrayOf(Gen.Choose(0, c - 1), n)
        from variant in Gen.Elements("int labels", "tensor labels", "per example", "smoothed 0.1", "smoothed 0.35")
        from seed in Values.Seed
        select new CrossEntropyCase(n, c, labels, variant, seed);

    [Property(MaxTest = 80, Replay = "(5656565657,7878787879)")]
    public Property CrossEntropyMatchesReferenceAndFiniteDifferences() => Prop.ForAll(CrossEntropyCases.ToArbitrary(), c =>
    {
        var labelValues = c.Labels.Select(l => (float)l).ToArray();
        using var labelTensor = Tensor.FromArray(labelValues, new Shape(c.N));
        Func<Tensor[], Tensor> op = c.Variant switch
        {
            "int labels" => t => Ops.SoftmaxCrossEntropy(t[0], c.Labels),
            "tensor labels" => t => Ops.SoftmaxCrossEntropy(t[0], labelTensor),
            "per example" => t => Ops.SoftmaxCrossEntropyPerExample(t[0], labelTensor),
            _ => t => Ops.SoftmaxCrossEntropy(t[0], labelTensor, Smoothing(c.Variant)),
        };
        Func<Nd[], Nd> reference = c.Variant switch
        {
            "per example" => t => Reference.CrossEntropyPerExample(t[0], c.Labels),
            var v when v.StartsWith("smoothed", StringComparison.Ordinal) => t => SmoothedCrossEntropy(t[0], c.Labels, Smoothing(v)),
            _ => t => Reference.CrossEntropyMean(t[0], c.Labels),
        };
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, c.N * c.C, -4, 4), [c.N, c.C])], op, reference, c.Seed);
    });

    private static float Smoothing(string variant) => float.Parse(variant["smoothed ".Length..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The smoothed loss in float64 from its definition: the mean over rows of −Σ_c q_c·log p_c with
    /// q = (1 − ε)·onehot(label) + ε/C.</summary>
    private static Nd SmoothedCrossEntropy(Nd logits, int[] labels, double epsilon)
    {
        var logp = Reference.Softmax(logits, log: true);
        int n = logits.Shape[0], classes = logits.Shape[1];
        double total = 0;
        for (int r = 0; r < n; r++)
            for (int k = 0; k < classes; k++)
                total -= ((k == labels[r] ? 1 - epsilon : 0) + epsilon / classes) * logp[r, k];
        return new Nd([], [total / n]);
    }

    [Fact]
    public void LabelSmoothingOfZeroIsThePlainLossAndOutsideZeroToOneIsRefused()
    {
        using var x = Tensor.FromArray([1f, 2f, 0.5f, -1f, 0f, 3f], new Shape(2, 3));
        using var y = Tensor.FromArray([2f, 0f], new Shape(2));
        using var plain = Ops.SoftmaxCrossEntropy(x, y);
        using var zero = Ops.SoftmaxCrossEntropy(x, y, 0f);
        Assert.Equal(plain.Item(), zero.Item());
        Assert.Contains("Label smoothing must be in [0, 1), got 1", Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, y, 1f)).Message);
        Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, y, float.NaN));
        Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, y, -0.1f));
    }

    [Fact]
    public void CrossEntropyIsFiniteForLogitsOfTenThousand()
    {
        float[] logits = [1e4f, -1e4f, 0f, -1e4f, 1e4f, 1e4f, 5f, -1e4f, 1e4f];
        int[] labels = [1, 0, 2];
        using var x = Tensor.FromArray(logits, new Shape(3, 3));
        var (value, grads) = Autodiff.ValueAndGrad(p => Ops.SoftmaxCrossEntropy(p["x"], labels), TensorMap.Empty.Add("x", x));
        var nd = Nd.FromFloats(logits, [3, 3]);
        var expected = Reference.CrossEntropyMean(nd, labels);
        Assert.True(float.IsFinite(value.Item()), $"loss {value.Item()} is not finite");
        GradCheck.AssertClose("cross-entropy of ±1e4", [value.Item()], expected.Data, Tol.Forward);

        // dL/dx = (softmax(x) − onehot(label)) / N.
        var p = Reference.Softmax(nd, log: false);
        var dx = p.Data.Select((v, i) => (v - (i % 3 == labels[i / 3] ? 1 : 0)) / 3).ToArray();
        var g = grads["x"].ToArray();
        Assert.All(g, v => Assert.True(float.IsFinite(v), $"gradient {v} is not finite"));
        GradCheck.AssertClose("cross-entropy gradient of ±1e4", g, dx, Tol.Gradient);
        value.Dispose();
        grads.DisposeAll();
    }
}
