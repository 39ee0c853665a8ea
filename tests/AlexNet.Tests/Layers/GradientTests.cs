using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>The gradient of a small two-tower net through every kind of layer, against central finite differences.</summary>
public sealed class GradientTests
{
    /// <summary>Finite-difference step. With 1e-2 a step crosses ReLU and max-pool kinks often enough to move
    /// conv1's numeric gradient by ~5%; with 1e-3 the float32 rounding of the loss (~1e-7) still costs only ~1e-4.</summary>
    private const float Eps = 1e-3f;

    /// <summary>
    /// Two towers with a grouped convolution, per-tower LRN, pooling, a cross-tower convolution, dense layers inside
    /// towers (the second one per tower), train-mode dropout with a fixed key, and a dense head. Weights are large
    /// enough that activations are O(1), so float32 differences resolve every gradient.
    /// </summary>
    private static Network SmallTwoTowerNet() => Network.Create(new Shape(2, 6, 6),
    [
        new Towers("t1", 2, new Conv("c1", 3, 3, 1, 1, 0.4f, 0.1f), new Relu("r1"), new Lrn("n1", 3, 0.3f, 0.75f, 1f), new MaxPool("p1", 2, 2)),
        new Towers("t2", 2, new Conv("c2", 2, 3, 1, 1, 0.3f, 0.05f), new Relu("r2"), new Conv("c3", 2, 3, 1, 1, 0.3f), new Flatten("f")),
        new Towers("t3", 2, new Dense("d1", 4, 0.3f, 0.1f), new Relu("r3"), new Dropout("drop", 0.25f), new Dense("d2", 3, 0.4f)),
        new Dense("out", 3, 0.5f), new Softmax("prob"),
    ]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientsMatchCentralFiniteDifferences(bool placed)
    {
        var net = SmallTwoTowerNet();
        using var a = new CpuBackend(threads: 1);
        using var b = new CpuBackend(threads: 1);
        var placement = new TowerPlacement([a, b]);
        var init = net.Init(RandomKey.FromSeed(77), a);
        var p = placed ? placement.Shard(net, init) : init;
        var x = LayerTestData.Input(net, 3, seed: 78, backend: a);
        int[] labels = [2, 0, 1];
        var key = RandomKey.FromSeed(79);
        Tensor Loss(TensorMap q) => Ops.SoftmaxCrossEntropy(
            placed ? net.Apply(q, x, Mode.Train, key, placement) : net.Apply(q, x, Mode.Train, key), labels);

        var (_, grads) = Autodiff.ValueAndGrad(Loss, p);
        var failures = new List<string>();
        foreach (var name in p.Keys)
        {
            var values = p[name].ToArray();
            var analytic = grads[name].ToArray();
            var numeric = new float[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                numeric[i] = (float)((LossAt(name, i, values[i] + Eps) - LossAt(name, i, values[i] - Eps)) / (2.0 * Eps));
            }
            double diff = 0, norm = 0;
            for (int i = 0; i < values.Length; i++)
            {
                diff += (analytic[i] - (double)numeric[i]) * (analytic[i] - numeric[i]);
                norm += (double)numeric[i] * numeric[i];
                if (Math.Abs(analytic[i] - numeric[i]) > 2e-3 + 5e-2 * Math.Abs(numeric[i]))
                    failures.Add($"{name}[{i}]: analytic {analytic[i]:G5}, numeric {numeric[i]:G5}");
            }
            if (Math.Sqrt(diff) > 1e-2 * Math.Sqrt(norm) + 1e-4)
                failures.Add($"{name}: |analytic − numeric| = {Math.Sqrt(diff):G3} against |numeric| = {Math.Sqrt(norm):G3}");
            Assert.True(norm > 1e-6, $"{name}: the numeric gradient is zero, so the test could not catch a wrong one");

            double LossAt(string n, int index, float value)
            {
                var changed = (float[])values.Clone();
                changed[index] = value;
                using var t = Tensor.FromArray(changed, p[n].Shape, p[n].Backend);
                using var loss = Loss(p.SetItem(n, t));
                return loss.Item();
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}
