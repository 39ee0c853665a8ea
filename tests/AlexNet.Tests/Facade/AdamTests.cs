using AlexNet.Autograd;
using AlexNet.Facade;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Facade;

/// <summary>
/// Adam and AdamW against a float64 transcription of Kingma &amp; Ba's Algorithm 1 (with L2 decay added to the gradient)
/// and of Loshchilov &amp; Hutter's decoupled decay, over several steps; the optimiser's state as a checkpoint; bad input.
/// </summary>
public sealed class AdamTests(ITestOutputHelper output)
{
    internal sealed record Case(int Size, int Steps, float LearningRate, float Beta1, float Beta2, float Epsilon,
                                float WeightDecay, bool Decoupled, int Seed);

    // Gradients are multiples of 1/1000 (zeros included): float32 squares of them neither underflow nor need ε to stay finite,
    // so the comparison measures the optimiser's arithmetic, not the float format's range.
    private static Gen<Case> Cases =>
        from size in Gen.Elements(1, 3, 8, 9, 17, 40)
        from steps in Gen.Choose(1, 6)
        from lr in Gen.Elements(1e-4f, 1e-3f, 1e-2f, 0.1f)
        from beta1 in Gen.Elements(0f, 0.5f, 0.9f, 0.99f)
        from beta2 in Gen.Elements(0.9f, 0.99f, 0.999f, 0.9999f)
        from epsilon in Gen.Elements(1e-8f, 1e-6f, 1e-3f)
        from decay in Gen.Elements(0f, 1e-4f, 0.01f, 0.1f)
        from decoupled in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1_000_000)
        select new Case(size, steps, lr, beta1, beta2, epsilon, decay, decoupled, seed);

    [Property(MaxTest = 300, Replay = "(271828182,845904523)")]
    public Property SeveralStepsMatchTheFloat64Reference() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var d = Measure(c);
        Assert.True(d.Weights <= 2e-6, $"weights differ by {d.Weights:E2} (relative to 1 + |w|) from the float64 reference ({c})");
        Assert.True(d.FirstMoment <= 1e-6, $"first moments differ by {d.FirstMoment:E2} from the float64 reference ({c})");
        Assert.True(d.SecondMoment <= 1e-6, $"second moments differ by {d.SecondMoment:E2} from the float64 reference ({c})");
    });

    /// <summary>A fixed sweep of every hyper-parameter combination of the property, reporting the largest differences.</summary>
    [Fact]
    public void LargestDifferencesFromTheFloat64ReferenceAreAtFloat32Rounding()
    {
        foreach (bool decoupled in new[] { false, true })
        {
            var worst = new Differences(0, 0, 0);
            int cases = 0;
            foreach (var lr in new[] { 1e-4f, 1e-3f, 1e-2f, 0.1f })
            foreach (var beta1 in new[] { 0f, 0.9f, 0.99f })
            foreach (var beta2 in new[] { 0.9f, 0.999f, 0.9999f })
            foreach (var epsilon in new[] { 1e-8f, 1e-3f })
            foreach (var decay in new[] { 0f, 0.01f, 0.1f })
            {
                var d = Measure(new Case(37, 10, lr, beta1, beta2, epsilon, decay, decoupled, cases++));
                worst = new Differences(Math.Max(worst.Weights, d.Weights), Math.Max(worst.FirstMoment, d.FirstMoment),
                                        Math.Max(worst.SecondMoment, d.SecondMoment));
            }
            output.WriteLine($"{(decoupled ? "AdamW" : "Adam")}: {cases} cases × 10 steps × 37 weights; largest |Δw|/(1+|w|) = {worst.Weights:E2}, " +
                             $"|Δm|/G = {worst.FirstMoment:E2}, |Δv|/G² = {worst.SecondMoment:E2} (G the largest |gradient|)");
            Assert.True(worst.Weights <= 2e-6, $"weights: {worst.Weights:E2}");
            Assert.True(worst.FirstMoment <= 1e-6, $"first moments: {worst.FirstMoment:E2}");
            Assert.True(worst.SecondMoment <= 1e-6, $"second moments: {worst.SecondMoment:E2}");
        }
    }

    private readonly record struct Differences(double Weights, double FirstMoment, double SecondMoment);

    private static Differences Measure(Case c)
    {
        var random = new Random(c.Seed);
        var w0 = Enumerable.Range(0, c.Size).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var gradients = Enumerable.Range(0, c.Steps)
            .Select(_ => Enumerable.Range(0, c.Size).Select(_ => random.Next(10) == 0 ? 0f : random.Next(-5000, 5001) / 1000f).ToArray())
            .ToArray();

        using var adam = new Adam(TensorMap.Empty.Add("w", Tensor.FromArray(w0, new Shape(c.Size))),
                                  c.Beta1, c.Beta2, c.Epsilon, c.WeightDecay, c.Decoupled);
        foreach (var g in gradients)
        {
            using var gt = Tensor.FromArray(g, new Shape(c.Size));
            adam.Step(TensorMap.Empty.Add("w", gt), c.LearningRate);
        }
        Assert.Equal(c.Steps, adam.StepCount);

        var (w, m, v) = Reference(c, w0, gradients);
        var actualW = adam.Parameters["w"].ToArray();
        var actualM = adam.FirstMoment["w"].ToArray();
        var actualV = adam.SecondMoment["w"].ToArray();
        double dw = 0, dm = 0, dv = 0;
        for (int i = 0; i < c.Size; i++)
        {
            // The moments' rounding errors scale with the largest gradient seen (the decay term included), not with the
            // moments themselves, which cancel towards 0 when the gradient changes sign.
            double scale = Math.Max(1e-3, gradients.Max(g => Math.Abs(g[i])) + (c.Decoupled ? 0 : c.WeightDecay * (Math.Abs(w0[i]) + 2)));
            dw = Math.Max(dw, Math.Abs(actualW[i] - w[i]) / (1 + Math.Abs(w[i])));
            dm = Math.Max(dm, Math.Abs(actualM[i] - m[i]) / scale);
            dv = Math.Max(dv, Math.Abs(actualV[i] - v[i]) / (scale * scale));
        }
        return new Differences(dw, dm, dv);
    }

    /// <summary>The update rule in float64, written from the papers, independent of the kernel's folded coefficients.</summary>
    private static (double[] W, double[] M, double[] V) Reference(Case c, float[] w0, float[][] gradients)
    {
        double lr = c.LearningRate, b1 = c.Beta1, b2 = c.Beta2, eps = c.Epsilon, decay = c.WeightDecay;
        var w = w0.Select(x => (double)x).ToArray();
        var m = new double[w.Length];
        var v = new double[w.Length];
        for (int t = 1; t <= gradients.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                double g = gradients[t - 1][i] + (c.Decoupled ? 0 : decay * w[i]);
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                if (c.Decoupled) w[i] -= lr * decay * w[i];
                w[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return (w, m, v);
    }

    [Fact]
    public void TheFirstStepMovesEachWeightByTheLearningRateAgainstItsGradientsSign()
    {
        // At t = 1 the bias corrections give m̂ = g and v̂ = g², so the step is lr·g / (|g| + ε): lr·sign(g) for |g| ≫ ε.
        float[] w0 = [1f, -2f, 0.5f, 3f], g = [0.3f, -4f, 1e-3f, 0f];
        using var adam = new Adam(TensorMap.Empty.Add("w", Tensor.FromArray(w0, new Shape(4))));
        adam.Step(TensorMap.Empty.Add("w", Tensor.FromArray(g, new Shape(4))), 0.01f);
        var w = adam.Parameters["w"].ToArray();
        for (int i = 0; i < 4; i++)
            Assert.Equal(w0[i] - 0.01 * g[i] / (Math.Abs(g[i]) + 1e-8), w[i], 6);
    }

    [Fact]
    public void AdamWWithoutDecayIsAdamAndWithDecayShrinksTheWeightsInsteadOfTheGradient()
    {
        float[] w0 = [1f, -2f, 0.5f], g = [0.1f, 0.2f, -0.3f];
        var p = TensorMap.Empty.Add("w", Tensor.FromArray(w0, new Shape(3)));
        using var adam = new Adam(p);
        using var adamW0 = Adam.AdamW(p, weightDecay: 0f);
        using var adamW = Adam.AdamW(p, weightDecay: 0.1f);
        using var adamL2 = new Adam(p, weightDecay: 0.1f);
        foreach (var opt in new[] { adam, adamW0, adamW, adamL2 })
            opt.Step(TensorMap.Empty.Add("w", Tensor.FromArray(g, new Shape(3))), 0.01f);
        Assert.Equal(adam.Parameters["w"].ToArray(), adamW0.Parameters["w"].ToArray());
        var plain = adam.Parameters["w"].ToArray();
        var decoupled = adamW.Parameters["w"].ToArray();
        var coupled = adamL2.Parameters["w"].ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(plain[i] - 0.01 * 0.1 * w0[i], decoupled[i], 6);
            Assert.NotEqual(decoupled[i], coupled[i]);
        }
        Assert.True(adamW.DecoupledWeightDecay);
        Assert.False(adamL2.DecoupledWeightDecay);
    }

    [Fact]
    public void ResumingFromTheSavedStateContinuesExactly()
    {
        var key = RandomKey.FromSeed(5);
        var p = TensorMap.Empty.Add("a", Tensor.Normal(key.Fold(0), new Shape(4, 5))).Add("b", Tensor.Normal(key.Fold(1), new Shape(7)));
        var grads = Enumerable.Range(0, 4)
            .Select(s => p.Map((name, t) => Tensor.Normal(key.Fold((ulong)(10 + s)).Fold((ulong)name.Length), t.Shape)))
            .ToArray();
        using var straight = Adam.AdamW(p, weightDecay: 0.05f);
        foreach (var g in grads) straight.Step(g, 3e-3f);

        using var first = Adam.AdamW(p, weightDecay: 0.05f);
        first.Step(grads[0], 3e-3f);
        first.Step(grads[1], 3e-3f);
        using var resumed = new Adam(first.Parameters, first.Beta1, first.Beta2, first.Epsilon, first.WeightDecay, first.DecoupledWeightDecay,
                                     first.FirstMoment, first.SecondMoment, first.StepCount);
        resumed.Step(grads[2], 3e-3f);
        resumed.Step(grads[3], 3e-3f);

        Assert.Equal(4, resumed.StepCount);
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(straight.Parameters[name].ToArray(), resumed.Parameters[name].ToArray());
            Assert.Equal(straight.FirstMoment[name].ToArray(), resumed.FirstMoment[name].ToArray());
            Assert.Equal(straight.SecondMoment[name].ToArray(), resumed.SecondMoment[name].ToArray());
        }
    }

    [Fact]
    public void TheCallersTensorsAreNeitherChangedNorReleased()
    {
        float[] w0 = [1f, -2f];
        var p = TensorMap.Empty.Add("w", Tensor.FromArray(w0, new Shape(2)));
        var m = TensorMap.Empty.Add("w", Tensor.FromArray([0.5f, 0.5f], new Shape(2)));
        var v = TensorMap.Empty.Add("w", Tensor.FromArray([0.25f, 0.25f], new Shape(2)));
        using (var adam = new Adam(p, firstMoment: m, secondMoment: v, stepCount: 3))
            adam.Step(TensorMap.Empty.Add("w", Tensor.FromArray([1f, 1f], new Shape(2))), 0.1f);
        Assert.Equal(w0, p["w"].ToArray());
        Assert.Equal([0.5f, 0.5f], m["w"].ToArray());
        Assert.Equal([0.25f, 0.25f], v["w"].ToArray());
    }

    [Fact]
    public void RejectsBadHyperParametersAndIncompleteState()
    {
        var p = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2)));
        var zeros = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2)));
        Assert.Throws<ArgumentException>(() => new Adam(p, beta1: 1f));
        Assert.Throws<ArgumentException>(() => new Adam(p, beta1: -0.1f));
        Assert.Throws<ArgumentException>(() => new Adam(p, beta2: 1f));
        Assert.Throws<ArgumentException>(() => new Adam(p, beta2: float.NaN));
        Assert.Throws<ArgumentException>(() => new Adam(p, epsilon: 0f));
        Assert.Throws<ArgumentException>(() => new Adam(p, epsilon: float.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => new Adam(p, weightDecay: -1e-4f));
        Assert.Throws<ArgumentException>(() => Adam.AdamW(p, weightDecay: float.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => new Adam(p, firstMoment: zeros));
        Assert.Throws<ArgumentException>(() => new Adam(p, secondMoment: zeros));
        Assert.Throws<ArgumentException>(() => new Adam(p, stepCount: 5));
        Assert.Throws<ArgumentException>(() => new Adam(p, firstMoment: zeros, secondMoment: zeros, stepCount: -1));
        var wrongShape = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(3)));
        var ex = Assert.Throws<ArgumentException>(() => new Adam(p, firstMoment: wrongShape, secondMoment: zeros, stepCount: 1));
        Assert.Equal("firstMoment", ex.ParamName);
        using var adam = new Adam(p);
        Assert.Throws<ArgumentException>(() => adam.Step(TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2))), float.NaN));
        Assert.Throws<ArgumentException>(() => adam.Step(TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2))), -0.1f));
        Assert.Equal(0, adam.StepCount); // a refused step does not count
    }

    [Fact]
    public void RejectsMismatchedGradientsAndUseAfterDispose()
    {
        var p = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2))).Add("b", Tensor.Zeros(new Shape(1)));
        var adam = new Adam(p);
        var wrongShape = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(3))).Add("b", Tensor.Zeros(new Shape(1)));
        var wrongName = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2))).Add("c", Tensor.Zeros(new Shape(1)));
        var missing = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2)));
        var extra = wrongShape.SetItem("w", Tensor.Zeros(new Shape(2))).Add("x", Tensor.Zeros(new Shape(1)));
        foreach (var bad in new[] { wrongShape, wrongName, missing, extra })
        {
            var ex = Assert.Throws<ArgumentException>(() => adam.Step(bad, 0.1f));
            Assert.Equal("gradients", ex.ParamName);
        }
        Assert.Equal(0, adam.StepCount);
        Assert.Equal([0f, 0f], adam.Parameters["w"].ToArray());
        adam.Dispose();
        Assert.Throws<ObjectDisposedException>(() => adam.Step(p, 0.1f));
    }
}
