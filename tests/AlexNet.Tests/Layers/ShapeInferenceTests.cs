using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Layers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>Shape inference at Network.Create agrees with running the layers, and bad stacks fail early and clearly.</summary>
public sealed class ShapeInferenceTests
{
    private static readonly CpuBackend[] s_devices = [new(threads: 1), new(threads: 1), new(threads: 1)];

    /// <summary>
    /// For random valid stacks: Apply's output has the inferred shape (train and eval), the summary ends with it, and
    /// running every tower on its own device gives the fused result.
    /// </summary>
    [Property(MaxTest = 80, Replay = "(1123581321,3455891443)")]
    public Property InferredShapesMatchTheForwardPass() => Prop.ForAll(StackCase.Gen.ToArbitrary(), c =>
    {
        var net = Network.Create(c.InputShape, c.Layers());
        var p = net.Init(RandomKey.FromSeed(c.Seed));
        using var x = LayerTestData.Input(net, c.Batch, c.Seed + 1);
        var expected = new Shape([c.Batch, .. net.OutputShape.Dims]);
        using var train = net.Apply(p, x, Mode.Train, RandomKey.FromSeed(c.Seed + 2));
        using var eval = net.Apply(p, x, Mode.Eval, default);
        Assert.Equal(expected, train.Shape);
        Assert.Equal(expected, eval.Shape);
        Assert.Equal(net.OutputShape, net.Summary().Rows.Last(r => r.Depth == 0).OutputShape);
        Assert.Equal(net.ParameterSpecs.Sum(s => s.Count), p.ElementCount);

        if (net.TowerBlocks.Any())
        {
            var placement = new TowerPlacement(s_devices[..c.Towers]);
            var sharded = placement.Shard(net, p);
            using var placed = net.Apply(sharded, x, Mode.Train, RandomKey.FromSeed(c.Seed + 2), placement);
            Assert.Equal(expected, placed.Shape);
            Assert.True(LayerTestData.RelativeError(placed.ToArray(), train.ToArray()) < 1e-4, "placed and fused towers differ");
            sharded.DisposeAll();
        }
        p.DisposeAll();
    });

    [Fact]
    public void DenseWithoutFlattenNamesTheLayerAndBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Network.Create(new Shape(3, 8, 8),
            [new Conv("conv1", 4, 3), new Relu("relu1"), new Dense("fc", 10)]));
        Assert.Contains("'fc' (Dense)", e.Message);
        Assert.Contains("[4, 6, 6]", e.Message);
        Assert.Contains("[features]", e.Message);
    }

    [Fact]
    public void AKernelLargerThanItsInputNamesTheLayerAndBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Network.Create(new Shape(3, 8, 8),
            [new Conv("conv1", 4, 5), new MaxPool("pool1", 3, 2), new Conv("conv2", 4, 3)]));
        Assert.Contains("'conv2' (Conv)", e.Message);
        Assert.Contains("[4, 1, 1]", e.Message);
        Assert.Contains("[≥ 1, ≥ 3, ≥ 3]", e.Message);
    }

    [Fact]
    public void APresetTooSmallForItsKernelsNamesTheFailingLayer()
    {
        var e = Assert.Throws<ArgumentException>(() => Presets.AlexNet(size: 63));
        Assert.Contains("'pool5' (MaxPool)", e.Message);
    }

    [Theory]
    [InlineData("conv.1", "invalid")]
    [InlineData("", "invalid")]
    [InlineData("twice", "used twice")]
    public void BadOrRepeatedNamesAreRefused(string name, string message)
    {
        Layer[] layers = name == "twice" ? [new Relu("twice"), new Relu("twice")] : [new Relu(name)];
        var e = Assert.Throws<ArgumentException>(() => Network.Create(new Shape(4), layers));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void NamesInsideBlocksMustBeUniqueToo()
    {
        var e = Assert.Throws<ArgumentException>(() => Network.Create(new Shape(4),
            [new Dense("fc", 4), new Towers("t", 2, new Dense("fc", 2))]));
        Assert.Contains("'fc' is used twice", e.Message);
    }

    [Theory]
    [InlineData("relu-first", "must begin with a Conv or Dense")]
    [InlineData("nested", "cannot be nested")]
    [InlineData("zero", "Count must be ≥ 1")]
    [InlineData("empty", "at least one layer")]
    public void MalformedTowersBlocksAreRefused(string kind, string message)
    {
        Layer block = kind switch
        {
            "relu-first" => new Towers("t", 2, new Relu("r"), new Dense("d", 2)),
            "nested" => new Towers("t", 2, new Dense("d", 2), new Towers("u", 2, new Dense("e", 2))),
            "zero" => new Towers("t", 0, new Dense("d", 2)),
            _ => new Towers("t", 2, LayerList.Empty),
        };
        var e = Assert.Throws<ArgumentException>(() => Network.Create(new Shape(4), [block]));
        Assert.Contains("'t' (Towers)", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData(0, "Out must be ≥ 1")]
    [InlineData(1, "Stride must be ≥ 1")]
    [InlineData(2, "Size must be a positive odd number")]
    [InlineData(3, "P must be in [0, 1)")]
    [InlineData(4, "Pad must be in [0, Kernel/2]")]
    [InlineData(5, "WeightStd must be finite and ≥ 0")]
    public void InvalidSettingsAreRefusedWithTheLayerName(int which, string message)
    {
        Layer bad = which switch
        {
            0 => new Conv("bad", 0, 3),
            1 => new Conv("bad", 2, 3, Stride: 0),
            2 => new Lrn("bad", 4),
            3 => new Dropout("bad", 1f),
            4 => new MaxPool("bad", 2, 2, 2),
            _ => new Conv("bad", 2, 3, WeightStd: float.NaN),
        };
        var e = Assert.Throws<ArgumentException>(() => Network.Create(new Shape(2, 6, 6), [bad]));
        Assert.Contains("'bad'", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ApplyRefusesAWronglyShapedBatchOrMissingParameters()
    {
        var net = Network.Create(new Shape(2, 6, 6), [new Conv("c", 3, 3), new Flatten("f"), new Dense("d", 2)]);
        var p = net.Init(RandomKey.FromSeed(1));
        using var wrong = Tensor.Zeros(new Shape(1, 3, 6, 6));
        Assert.Contains("[N, 2, 6, 6]", Assert.Throws<ArgumentException>(() => net.Apply(p, wrong, Mode.Eval, default)).Message);
        using var x = Tensor.Zeros(new Shape(1, 2, 6, 6));
        var missing = TensorMap.From(p.Where(kv => kv.Key != "d.bias"));
        Assert.Contains("'d.bias'", Assert.Throws<ArgumentException>(() => net.Apply(missing, x, Mode.Eval, default)).Message);
        var misshapen = p.SetItem("c.weight", Tensor.Zeros(new Shape(3, 2, 2, 2)));
        Assert.Contains("needs [3, 2, 3, 3]", Assert.Throws<ArgumentException>(() => net.Apply(misshapen, x, Mode.Eval, default)).Message);
    }
}
