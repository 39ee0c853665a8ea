using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Tests.Autograd.Support;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Regression tests from other projects' autograd bugs (micrograd, TorchSharp, tinygrad).</summary>
public sealed class RegressionTests
{
    [Fact]
    public void BackwardTwiceGivesIdenticalGradients()
    {
        using var x = Tensor.FromArray(Values.Uniform(1, 6), new Shape(2, 3));
        using var w = Tensor.FromArray(Values.Uniform(2, 12), new Shape(3, 4));
        using var tape = new Tape();
        var xw = tape.Watch(x);
        var ww = tape.Watch(w);
        var loss = Ops.Sum(Ops.Mul(Ops.Relu(Ops.MatMul(xw, ww)), Ops.Exp(Ops.MatMul(xw, ww))));
        var first = tape.Gradients(loss, [xw, ww]);
        var second = tape.Gradients(loss, [xw, ww]);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(first[i].ToArray(), second[i].ToArray());
            first[i].Dispose();
            second[i].Dispose();
        }

        // The functional form too: the same call twice, the same answer.
        var parameters = TensorMap.Empty.Add("x", x).Add("w", w);
        static Tensor F(TensorMap p) => Ops.Sum(Ops.Square(Ops.MatMul(p["x"], p["w"])));
        var g1 = Autodiff.Grad(F, parameters);
        var g2 = Autodiff.Grad(F, parameters);
        Assert.Equal(g1["x"].ToArray(), g2["x"].ToArray());
        Assert.Equal(g1["w"].ToArray(), g2["w"].ToArray());
        g1.DisposeAll();
        g2.DisposeAll();
    }

    [Fact]
    public void ReusedValuesAccumulate()
    {
        using var a = Tensor.FromArray([1, -2, 3], new Shape(3));
        var g = Autodiff.Grad(p =>
        {
            var b = p["a"] + p["a"];
            var c = b + b;
            return Ops.Sum(c);
        }, TensorMap.Empty.Add("a", a));
        Assert.Equal([4f, 4, 4], g["a"].ToArray());
        g.DisposeAll();

        // d(a·a)/da = 2a, and a source used through two paths of different lengths.
        var h = Autodiff.Grad(p => Ops.Sum(p["a"] * p["a"] + Ops.Exp(p["a"]) * 0f + p["a"]), TensorMap.Empty.Add("a", a));
        Assert.Equal([3f, -3, 7], h["a"].ToArray());
        h.DisposeAll();
    }

    [Fact]
    public void AHundredThousandNodeChainNeedsNoRecursion()
    {
        // Run on a thread with a small stack: a recursive backward pass (or topological sort) would overflow it.
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { Chain(); }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException("100k-node chain failed: " + failure);
    }

    private static void Chain()
    {
        const int length = 100_000;
        using var x = Tensor.FromArray([0f, 1f, -1f], new Shape(3));
        using var one = Tensor.Ones(new Shape(3));
        using var tape = new Tape();
        var xw = tape.Watch(x);
        var y = xw;
        for (int i = 0; i < length; i++) y = i % 2 == 0 ? y + 1e-6f : Ops.Mul(y, one);
        Assert.Equal(length + 1, tape.Count);
        var loss = Ops.Sum(y);
        var g = tape.Gradients(loss, [xw])[0];
        Assert.Equal([1f, 1f, 1f], g.ToArray());
        g.Dispose();
        // The same float32 arithmetic on the host: 50,000 additions of 1e-6f (multiplying by 1 is exact).
        float[] expected = [0f, 1f, -1f];
        for (int i = 0; i < length / 2; i++)
            for (int j = 0; j < 3; j++) expected[j] += 1e-6f;
        GradCheck.AssertClose("chain value", y.ToArray(), expected, new Tol(1e-6, 0));
    }

    [Fact]
    public void ReluGradientAtExactlyZeroIsZero()
    {
        using var x = Tensor.FromArray([-1f, 0f, -0f, 1e-30f, 2f], new Shape(5));
        var (value, g) = Autodiff.ValueAndGrad(p => Ops.Sum(Ops.Relu(p["x"])), TensorMap.Empty.Add("x", x));
        Assert.Equal([0f, 0f, 0f, 1f, 1f], g["x"].ToArray());
        Assert.Equal(2f + 1e-30f, value.Item());
        value.Dispose();
        g.DisposeAll();
    }

    [Fact]
    public void LiveBuffersReturnToBaselineAfterATrainingStep()
    {
        using var backend = new CpuBackend(threads: 2);
        int[] labels = [0, 2];
        using var x = Tensor.FromArray(Values.Uniform(1, 2 * 3 * 9 * 9), new Shape(2, 3, 9, 9), backend);
        var parameters = TensorMap.Empty
            .Add("conv.w", Tensor.Normal(RandomKey.FromSeed(1), new Shape(4, 3, 3, 3), 0f, 0.1f, backend))
            .Add("conv.b", Tensor.Zeros(new Shape(4), backend))
            .Add("fc.w", Tensor.Normal(RandomKey.FromSeed(2), new Shape(3, 4 * 4 * 4), 0f, 0.1f, backend))
            .Add("fc.b", Tensor.Ones(new Shape(3), backend));
        long baseline = backend.Memory.LiveBuffers, baselineBytes = backend.Memory.LiveBytes;

        Tensor Loss(TensorMap p, int step)
        {
            var h = Ops.Relu(Ops.Conv2d(x, p["conv.w"], p["conv.b"], stride: 1, padding: 1));
            h = Ops.Lrn(h, 3, 0.1f, 0.75f, 2f);
            h = Ops.MaxPool2d(h, 3, 2);
            h = Ops.Dropout(Ops.Flatten(h), 0.5f, RandomKey.FromSeed(step), training: true);
            return Ops.SoftmaxCrossEntropy(Ops.Linear(h, p["fc.w"], p["fc.b"]), labels);
        }

        for (int step = 0; step < 3; step++)
        {
            var (value, grads) = Autodiff.ValueAndGrad(p => Loss(p, step), parameters);
            Assert.True(float.IsFinite(value.Item()));
            Assert.Equal(baseline + 1 + grads.Count, backend.Memory.LiveBuffers);
            // A plain SGD step made of untracked ops; every temporary disposed.
            var updated = parameters.Map((name, w) =>
            {
                using var scaled = grads[name] * 0.01f;
                return w - scaled;
            });
            parameters.DisposeAll();
            parameters = updated;
            value.Dispose();
            grads.DisposeAll();
            Assert.Equal(baseline, backend.Memory.LiveBuffers);
            Assert.Equal(baselineBytes, backend.Memory.LiveBytes);
        }

        // Forward only under a tape: disposing the tape releases everything it recorded.
        using (var tape = new Tape())
        {
            var watched = parameters.Map((_, t) => tape.Watch(t));
            _ = Loss(watched, 9);
            Assert.True(backend.Memory.LiveBuffers > baseline);
        }
        Assert.Equal(baseline, backend.Memory.LiveBuffers);

        // Shape errors allocate nothing.
        Assert.ThrowsAny<ArgumentException>(() => Ops.Conv2d(x, parameters["fc.w"]));
        Assert.ThrowsAny<ArgumentException>(() => Ops.Add(x, parameters["conv.b"]));
        Assert.ThrowsAny<ArgumentException>(() => Ops.SoftmaxCrossEntropy(parameters["fc.w"], [70, 0, 0]));
        Assert.Equal(baseline, backend.Memory.LiveBuffers);
        parameters.DisposeAll();
    }

    [Fact]
    public void UsingADisposedTensorThrowsObjectDisposedException()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3));
        x.Dispose();
        Assert.True(x.IsDisposed);
        var e = Assert.Throws<ObjectDisposedException>(() => Ops.Relu(x));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("disposed", e.Message);
        Assert.Throws<ObjectDisposedException>(() => x.ToArray());
        Assert.Throws<ObjectDisposedException>(() => Ops.Add(Tensor.Ones(new Shape(3)), x));

        // An intermediate that escapes ValueAndGrad was released with its tape.
        using var w = Tensor.Ones(new Shape(2, 2));
        Tensor? escaped = null;
        var g = Autodiff.Grad(p =>
        {
            escaped = Ops.Exp(p["w"]);
            return Ops.Sum(escaped);
        }, TensorMap.Empty.Add("w", w));
        g.DisposeAll();
        var e2 = Assert.Throws<ObjectDisposedException>(() => escaped!.ToArray());
        Assert.Contains("[2, 2]", e2.Message);
    }

    [Fact]
    public void GradientsOfSourcesTheOutputIgnoresAreZeroAndDuplicatesAreIndependent()
    {
        using var a = Tensor.FromArray([1, 2], new Shape(2));
        using var b = Tensor.FromArray([3, 4, 5], new Shape(3));
        using var tape = new Tape();
        var aw = tape.Watch(a);
        var bw = tape.Watch(b);
        var loss = Ops.Sum(aw * 3f);
        var g = tape.Gradients(loss, [aw, bw, aw]);
        Assert.Equal([3f, 3], g[0].ToArray());
        Assert.Equal([0f, 0, 0], g[1].ToArray());
        g[0].Dispose();
        Assert.Equal([3f, 3], g[2].ToArray());
        g[1].Dispose();
        g[2].Dispose();
    }

    [Fact]
    public void TapeAndValueAndGradRejectNonScalarsAndForeignSources()
    {
        using var x = Tensor.Ones(new Shape(2, 3));
        var e = Assert.ThrowsAny<ArgumentException>(() => Autodiff.ValueAndGrad(p => p["x"] * 2f, TensorMap.Empty.Add("x", x)));
        Assert.Contains("[2, 3]", e.Message);

        using var tape = new Tape();
        var xw = tape.Watch(x);
        var y = xw * 2f;
        var e2 = Assert.ThrowsAny<ArgumentException>(() => tape.Gradients(y, [xw]));
        Assert.Contains("[2, 3]", e2.Message);
        var e3 = Assert.ThrowsAny<ArgumentException>(() => tape.Gradients(Ops.Sum(y), [x]));
        Assert.Contains("[2, 3]", e3.Message);
    }
}
