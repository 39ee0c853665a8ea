using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>Towers as the paper wired its two GPUs: per-tower LRN, grouped convolutions, and where data crosses devices.</summary>
public sealed class TowerTests
{
    /// <summary>
    /// With each tower on its own device and the input on a third (host) device, towers exchange data only at conv3,
    /// fc6, fc7 and fc8: each tower of a following block gathers the other tower's output, and fc8 gathers fc7's
    /// towers on the primary device. The backward pass sends gradients back along the same transfers, reversed.
    /// </summary>
    [Fact]
    public void TowersTalkOnlyAtConv3Fc6Fc7AndFc8InBothDirections()
    {
        var log = new TransferLog();
        using var host = new CountingBackend("host", log);
        using var a = new CountingBackend("A", log);
        using var b = new CountingBackend("B", log);
        var net = LayerTestData.TinyAlexNet();
        var placement = new TowerPlacement([a, b]);
        var cpu = net.Init(RandomKey.FromSeed(1));
        var p = placement.Shard(net, cpu);
        const int n = 2;
        var x = LayerTestData.Input(net, n, seed: 2, backend: host);
        var summary = net.Summary();
        int PerTower(string layer) => n * summary[layer].OutputShape.Dims.Aggregate(1, (u, v) => u * v) / 2;

        // Every tower's parameters on its own device; the rest on the primary device.
        Assert.Same(a, p["conv1.tower0.weight"].Backend);
        Assert.Same(b, p["conv1.tower1.weight"].Backend);
        Assert.Same(b, p["fc7.tower1.bias"].Backend);
        Assert.Same(a, p["fc8.weight"].Backend);

        log.Clear();
        using var tape = new Tape();
        var watched = p.Map((_, t) => tape.Watch(t));
        var logits = net.Apply(watched, x, Mode.Train, RandomKey.FromSeed(3), placement);
        var forward = log.Transfers();
        Assert.Same(a, logits.Backend);

        var input = n * 3 * 35 * 35;
        var expected = new List<TransferLog.Transfer>
        {
            new("host", "A", input), new("host", "B", input),          // the batch is fed to both towers (conv1)
            new("B", "A", PerTower("pool2")), new("A", "B", PerTower("pool2")),   // conv3 reads every tower
            new("B", "A", PerTower("flatten")), new("A", "B", PerTower("flatten")), // fc6
            new("B", "A", PerTower("drop6")), new("A", "B", PerTower("drop6")),     // fc7
            new("B", "A", PerTower("drop7")),                                       // fc8, on the primary device
        };
        Assert.Equal(Sorted(expected), Sorted(forward));

        using var loss = Ops.SoftmaxCrossEntropy(logits, [1, 7]);
        log.Clear();
        var grads = tape.Gradients(loss, [.. watched.Values]);
        var backward = log.Transfers();
        var reversed = expected.Where(t => t.From != "host").Select(t => new TransferLog.Transfer(t.To, t.From, t.Count));
        Assert.Equal(Sorted(reversed), Sorted(backward));
        Assert.All(grads.Zip(watched.Values), g => Assert.Same(g.Second.Backend, g.First.Backend));
        foreach (var g in grads) g.Dispose();
    }

    /// <summary>The same towers on one device run fused (grouped convolutions) and move nothing.</summary>
    [Fact]
    public void TowersOnOneDeviceTransferNothing()
    {
        var log = new TransferLog();
        using var a = new CountingBackend("A", log);
        var net = LayerTestData.TinyAlexNet();
        var p = net.Init(RandomKey.FromSeed(1), a);
        var x = LayerTestData.Input(net, 2, seed: 2, backend: a);
        log.Clear();
        using var y = net.Apply(p, x, Mode.Train, RandomKey.FromSeed(3));
        Assert.Empty(log.Events);
        Assert.Equal(new Shape(2, 10), y.Shape);
    }

    /// <summary>Placed and fused passes agree: outputs in train and eval mode (same dropout masks) and gradients.</summary>
    [Fact]
    public void PlacedTowersGiveTheSameOutputsAndGradientsAsFusedTowers()
    {
        using var a = new CpuBackend(threads: 1);
        using var b = new CpuBackend(threads: 1);
        var net = LayerTestData.TinyAlexNet();
        var placement = new TowerPlacement([a, b]);
        var p = net.Init(RandomKey.FromSeed(5), a);
        var sharded = placement.Shard(net, p);
        var x = LayerTestData.Input(net, 3, seed: 6, backend: a);
        int[] labels = [0, 4, 9];
        foreach (var mode in new[] { Mode.Eval, Mode.Train })
        {
            using var fused = net.Apply(p, x, mode, RandomKey.FromSeed(7));
            using var placed = net.Apply(sharded, x, mode, RandomKey.FromSeed(7), placement);
            Assert.True(LayerTestData.RelativeError(placed.ToArray(), fused.ToArray()) < 1e-5, $"{mode}: placed and fused outputs differ");
        }

        var (l1, g1) = Autodiff.ValueAndGrad(q => Ops.SoftmaxCrossEntropy(net.Apply(q, x, Mode.Train, RandomKey.FromSeed(8)), labels), p);
        var (l2, g2) = Autodiff.ValueAndGrad(q => Ops.SoftmaxCrossEntropy(net.Apply(q, x, Mode.Train, RandomKey.FromSeed(8), placement), labels), sharded);
        Assert.Equal(l1.Item(), l2.Item(), 5);
        var gathered = placement.Gather(net, g2);
        Assert.Equal(g1.Keys, gathered.Keys);
        foreach (var name in g1.Keys)
        {
            // Relative to each gradient's own scale: the convolution gradients here are below 1e-4, so a wrong or zero
            // gradient must not hide under an absolute floor.
            Assert.True(g1[name].ToArray().Any(v => v != 0), $"the fused gradient of {name} is all zeros");
            double error = LayerTestData.RelativeError(gathered[name].ToArray(), g1[name].ToArray());
            Assert.True(error < 1e-4, $"gradient of {name} differs: relative error {error:G3}");
        }
    }

    /// <summary>LRN inside a block normalises each tower over its own maps: the result equals LRN on each tower's
    /// half separately, and differs from one LRN window sliding across all maps.</summary>
    [Fact]
    public void LrnWindowsNeverCrossTowers()
    {
        var net = Network.Create(new Shape(2, 5, 5), [new Towers("t", 2, new Conv("c", 3, 3, Pad: 1, WeightStd: 1f), new Lrn("n", 5, 0.5f, 0.75f, 1f))]);
        var convOnly = Network.Create(new Shape(2, 5, 5), [new Towers("t", 2, new Conv("c", 3, 3, Pad: 1, WeightStd: 1f))]);
        var p = net.Init(RandomKey.FromSeed(11));
        var x = LayerTestData.Input(net, 2, seed: 12);
        using var y = net.Apply(p, x, Mode.Eval, default);
        using var h = convOnly.Apply(p, x, Mode.Eval, default);
        using var h0 = Ops.Slice(h, 1, 0, 3);
        using var h1 = Ops.Slice(h, 1, 3, 3);
        using var n0 = Ops.Lrn(h0, 5, 0.5f, 0.75f, 1f);
        using var n1 = Ops.Lrn(h1, 5, 0.5f, 0.75f, 1f);
        using var perTower = Ops.Concat([n0, n1], 1);
        using var across = Ops.Lrn(h, 5, 0.5f, 0.75f, 1f);
        Assert.Equal(perTower.ToArray(), y.ToArray());
        Assert.True(LayerTestData.RelativeError(across.ToArray(), y.ToArray()) > 1e-3, "per-tower and cross-tower LRN should differ");
    }

    /// <summary>Inside a block a convolution after the first sees only its own tower's maps (a grouped convolution):
    /// zeroing tower 1's input maps leaves tower 0's outputs unchanged.</summary>
    [Fact]
    public void ALaterConvolutionSeesOnlyItsOwnTower()
    {
        var net = Network.Create(new Shape(1, 4, 4), [new Towers("t", 2, new Conv("a", 2, 1, WeightStd: 1f), new Conv("b", 2, 3, Pad: 1, WeightStd: 1f))]);
        var p = net.Init(RandomKey.FromSeed(21));
        var x = LayerTestData.Input(net, 1, seed: 22);
        // Zero tower 1's weights of the first conv: its maps (the input of tower 1's second conv) become 0.
        var w = p["a.weight"].ToArray();
        var b = p["a.bias"].ToArray();
        Array.Clear(w, 2, 2);
        Array.Clear(b, 2, 2);
        var q = p.SetItem("a.weight", Tensor.FromArray(w, p["a.weight"].Shape)).SetItem("a.bias", Tensor.FromArray(b, p["a.bias"].Shape));
        using var y1 = net.Apply(p, x, Mode.Eval, default);
        using var y2 = net.Apply(q, x, Mode.Eval, default);
        var (v1, v2) = (y1.ToArray(), y2.ToArray());
        int half = v1.Length / 2;
        Assert.Equal(v1[..half], v2[..half]);
        Assert.NotEqual(v1[half..], v2[half..]);
    }

    /// <summary>Shard then Gather is the identity, and a placement whose tower count differs from a block's is refused.</summary>
    [Fact]
    public void ShardAndGatherRoundTripAndMismatchesAreRefused()
    {
        using var a = new CpuBackend(threads: 1);
        using var b = new CpuBackend(threads: 1);
        using var c = new CpuBackend(threads: 1);
        var net = LayerTestData.TinyAlexNet();
        var p = net.Init(RandomKey.FromSeed(31));
        var placement = new TowerPlacement([a, b]);
        var back = placement.Gather(net, placement.Shard(net, p));
        Assert.Equal(p.Keys, back.Keys);
        foreach (var name in p.Keys) Assert.Equal(LayerTestData.Bits(p[name]), LayerTestData.Bits(back[name]));
        Assert.Equal("conv2.tower1.weight", TowerPlacement.ShardName("conv2.weight", 1));

        var three = new TowerPlacement([a, b, c]);
        var e = Assert.Throws<ArgumentException>(() => three.Shard(net, p));
        Assert.Contains("towers1", e.Message);
        var x = LayerTestData.Input(net, 1, seed: 1);
        var e2 = Assert.Throws<ArgumentException>(() => net.Apply(p, x, Mode.Eval, default, placement));
        Assert.Contains("tower", e2.Message);
        var sharded = placement.Shard(net, p);
        var e3 = Assert.Throws<ArgumentException>(() => net.Apply(sharded, x, Mode.Eval, default));
        Assert.Contains("sharded", e3.Message);
    }

    /// <summary>Every tower draws its own dropout mask, in the fused and in the placed pass alike.</summary>
    [Fact]
    public void EachTowerDrawsItsOwnDropoutMask()
    {
        using var a = new CpuBackend(threads: 1);
        using var b = new CpuBackend(threads: 1);
        var net = Network.Create(new Shape(3), [new Towers("t", 2, new Dense("d", 200, WeightStd: 0f, BiasInit: 1f), new Dropout("drop", 0.5f))]);
        var p = net.Init(RandomKey.FromSeed(1), a);
        using var x = Tensor.Ones(new Shape(1, 3), a);
        using var y = net.Apply(p, x, Mode.Train, RandomKey.FromSeed(2));
        var v = y.ToArray();
        Assert.All(v, e => Assert.True(e == 0f || e == 2f));
        Assert.InRange(v.Count(e => e == 0f), 140, 260);
        Assert.NotEqual(v[..200], v[200..]);
        var placement = new TowerPlacement([a, b]);
        using var placed = net.Apply(placement.Shard(net, p), x, Mode.Train, RandomKey.FromSeed(2), placement);
        Assert.Equal(v, placed.ToArray());
        using var eval = net.Apply(p, x, Mode.Eval, RandomKey.FromSeed(2));
        Assert.All(eval.ToArray(), e => Assert.Equal(1f, e));
    }

    /// <summary>A training step, fused or placed, hands every buffer back: live buffers return to their baseline on
    /// every device once the caller disposes the loss and the gradients.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATrainingStepLeaksNoBuffers(bool placed)
    {
        var log = new TransferLog();
        using var host = new CountingBackend("host", log);
        using var a = new CountingBackend("A", log);
        using var b = new CountingBackend("B", log);
        var net = LayerTestData.TinyAlexNet();
        var placement = new TowerPlacement([a, b]);
        var init = net.Init(RandomKey.FromSeed(1), a);
        var p = placed ? placement.Shard(net, init) : init;
        using var x = LayerTestData.Input(net, 2, seed: 2, backend: placed ? host : a);
        var before = new[] { host.Memory.LiveBuffers, a.Memory.LiveBuffers, b.Memory.LiveBuffers };
        for (int step = 0; step < 2; step++)
        {
            var (loss, grads) = Autodiff.ValueAndGrad(q => Ops.SoftmaxCrossEntropy(
                placed ? net.Apply(q, x, Mode.Train, RandomKey.FromSeed(3), placement) : net.Apply(q, x, Mode.Train, RandomKey.FromSeed(3)), [1, 2]), p);
            loss.Dispose();
            grads.DisposeAll();
            using var probabilities = placed ? Inference.PredictProbabilities(net, p, x, placement) : Inference.PredictProbabilities(net, p, x);
        }
        Assert.Equal(before, new[] { host.Memory.LiveBuffers, a.Memory.LiveBuffers, b.Memory.LiveBuffers });
    }

    private static List<TransferLog.Transfer> Sorted(IEnumerable<TransferLog.Transfer> transfers) =>
        [.. transfers.OrderBy(t => t.From, StringComparer.Ordinal).ThenBy(t => t.To, StringComparer.Ordinal).ThenBy(t => t.Count)];
}
