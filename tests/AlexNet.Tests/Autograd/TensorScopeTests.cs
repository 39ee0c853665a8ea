using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Disposal scopes: a hand-written training loop that disposes nothing by hand keeps its live buffers flat.</summary>
public sealed class TensorScopeTests
{
    private static readonly Network Net = Network.Create(new Shape(1, 8, 8),
        [new Conv("c", 4, 3, 1, 1, Initializer: Initializer.He), new Relu("r"), new Flatten("f"), new Dense("d", 3, Initializer: Initializer.He)]);

    /// <summary>Runs <paramref name="steps"/> steps that leave every temporary (input, loss, gradients) undisposed and
    /// returns the backend's live buffers after each.</summary>
    private static long[] Loop(CpuBackend cpu, SgdMomentum optimiser, int steps, bool scoped)
    {
        var live = new long[steps];
        for (int step = 0; step < steps; step++)
        {
            var scope = scoped ? TensorScope.Begin() : null;
            var x = Tensor.Normal(RandomKey.FromSeed(step), new Shape(2, 1, 8, 8), backend: cpu);
            var (loss, grads) = Autodiff.ValueAndGrad(p => Ops.SoftmaxCrossEntropy(Net.Apply(p, x, Mode.Train, RandomKey.FromSeed(step)), [0, 2]), optimiser.Parameters);
            optimiser.Step(grads, 0.01f);
            scope?.Dispose();
            live[step] = cpu.Memory.LiveBuffers;
        }
        return live;
    }

    [Fact]
    public void AScopedLoopKeepsItsLiveBuffersFlatAndAnUnscopedOneLeaks()
    {
        using var cpu = new CpuBackend(1);
        using var parameters = Net.Init(RandomKey.FromSeed(1), cpu);
        using var optimiser = new SgdMomentum(parameters);
        var scoped = Loop(cpu, optimiser, 100, scoped: true);
        Assert.All(scoped, n => Assert.Equal(scoped[0], n));
        var leaking = Loop(cpu, optimiser, 10, scoped: false);
        Assert.True(leaking[^1] >= leaking[0] + 9 * 5, $"the control loop should leak: {string.Join(", ", leaking)}");
    }

    [Fact]
    public void KeptTensorsOutliveTheScopeAndNestedScopesEndInnermostFirst()
    {
        Tensor kept, dropped;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                kept = inner.Keep(Tensor.Ones(new Shape(3)));
                dropped = Tensor.Ones(new Shape(3));
                Assert.Equal(1, inner.Count);
            }
            Assert.True(dropped.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal(1, outer.Count);
        }
        Assert.True(kept.IsDisposed);

        var a = TensorScope.Begin();
        var b = TensorScope.Begin();
        var e = Assert.Throws<InvalidOperationException>(() => a.Dispose());
        Assert.Contains("innermost first", e.Message);
        b.Dispose();
        a.Dispose();
    }
}
