using AlexNet.Autograd;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>
/// A convolution followed by a ReLU as one layer kind, defined outside the library from existing steps: the whole of
/// what a new kind needs (no JSON, summary or tower code).
/// </summary>
public sealed record ConvRelu(string Name, int Out, int Kernel, int Pad) : Layer(Name)
{
    private Conv Conv => new(Name, Out, Kernel, 1, Pad);

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input) => Conv.OutputShape(input);

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> ParameterSpecs(Shape input) => Conv.ParameterSpecs(input);

    /// <inheritdoc/>
    protected override void Lower(Lowering to)
    {
        to.Emit(new ConvStep(Conv.WeightName, Conv.BiasName, Kernel, 1, Pad));
        to.Emit(new ReluStep());
    }
}

/// <summary>The one lowering that Apply, the placed pass, the summary and the JSON form share.</summary>
public sealed class LoweringTests
{
    /// <summary>The paper's wiring lowers to grouped steps: conv1 and fc6 read the shared input as one operation with
    /// the towers stacked, later convolutions run grouped, LRN and dropout per tower.</summary>
    [Fact]
    public void PaperNetworkLowersToGroupedSteps()
    {
        var steps = Presets.AlexNet().Lower().Steps.ToDictionary(s => s.Layer);
        Assert.Equal((1, new Shape(96, 55, 55)), (steps["conv1"].Groups, steps["conv1"].Output));
        Assert.Equal(2, steps["conv2"].Groups);
        Assert.Equal(1, steps["conv3"].Groups);
        Assert.Equal(2, steps["conv4"].Groups);
        Assert.Equal(2, steps["lrn1"].Groups);
        Assert.IsType<LrnStep>(steps["lrn1"]);
        Assert.Equal(1, steps["fc6"].Groups);
        Assert.Equal(1, steps["fc7"].Groups);
        Assert.Equal(new DropoutStep(0.5f, 0) { Layer = "drop6", Input = new Shape(4096), Output = new Shape(4096), Groups = 2 }, steps["drop6"]);
        Assert.Equal(new Shape(1000), Presets.AlexNet().Lower().Steps[^1].Output);
    }

    /// <summary>Each step reads what the previous one produced, starting from the network's input.</summary>
    [Fact]
    public void StepsChainShapes()
    {
        var net = Presets.AlexNetCifar();
        var steps = net.Lower().Steps;
        Assert.Equal(net.InputShape, steps[0].Input);
        for (int i = 1; i < steps.Count; i++) Assert.Equal(steps[i - 1].Output, steps[i].Input);
        Assert.Equal(net.OutputShape, steps[^1].Output);
    }

    /// <summary>A layer kind written outside the library runs inside and outside Towers blocks, fused and placed, shows
    /// in the summary and round-trips through JSON once registered.</summary>
    [Fact]
    public void AnOutsideLayerKindNeedsOnlyItsRecord()
    {
        var net = Network.Create(new Shape(3, 9, 9),
        [
            new Towers("t", 2, new ConvRelu("c1", 4, 3, 1), new ConvRelu("c2", 3, 3, 0)),
            new Flatten("f"), new Dense("out", 5),
        ]);
        var reference = Network.Create(new Shape(3, 9, 9),
        [
            new Towers("t", 2, new Conv("c1", 4, 3, 1, 1), new Relu("r1"), new Conv("c2", 3, 3, 1, 0), new Relu("r2")),
            new Flatten("f"), new Dense("out", 5),
        ]);
        var p = reference.Init(RandomKey.FromSeed(4));
        Assert.Equal(reference.ParameterSpecs, net.ParameterSpecs);
        using var x = Tensor.Normal(RandomKey.FromSeed(5), new Shape(2, 3, 9, 9));
        using var expected = reference.Apply(p, x, Mode.Eval, default);
        using var fused = net.Apply(p, x, Mode.Eval, default);
        Assert.Equal(expected.ToArray(), fused.ToArray());

        var placement = new TowerPlacement([AlexNet.Autograd.Cpu.CpuBackend.Default, AlexNet.Autograd.Cpu.CpuBackend.Default]);
        var sharded = placement.Shard(net, p);
        using var placed = net.Apply(sharded, x, Mode.Eval, default, placement);
        Assert.Equal(expected.ToArray(), placed.ToArray());

        var row = net.Summary()["c2"];
        Assert.Equal(("ConvRelu", new Shape(6, 7, 7), 2L * (3 * 4 * 9 + 3)), (row.Kind, row.OutputShape, row.Parameters));

        Assert.Throws<NotSupportedException>(() => net.ToJson());
        LayerKinds.Register<ConvRelu>();
        var json = net.ToJson();
        Assert.Contains("\"type\": \"convrelu\"", json);
        Assert.Equal(net, Network.FromJson(json));
        p.DisposeAll();
        sharded.DisposeAll();
    }

    /// <summary>A kind whose steps disagree with its own shape inference is refused when the network is built.</summary>
    [Fact]
    public void StepsThatContradictOutputShapeAreRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Network.Create(new Shape(4), [new Lying("liar")]));
        Assert.Contains("'liar'", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    private sealed record Lying(string Name) : Layer(Name)
    {
        public override Shape OutputShape(Shape input) => new(3);

        protected override void Lower(Lowering to) => to.Emit(new ReluStep(), to.Input);
    }
}
