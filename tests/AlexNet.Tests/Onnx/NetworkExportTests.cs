using AlexNet.Autograd;
using AlexNet.Layers;
using AlexNet.Onnx;
using AlexNet.Tests.Facade;
using AlexNet.Tests.Layers;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Onnx;

/// <summary>Whole networks exported through their lowering and run in ONNX Runtime: the same outputs as
/// <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/> in evaluation mode.</summary>
public sealed class NetworkExportTests(ITestOutputHelper output)
{
    public static TheoryData<string> Presets => ["paper", "fashion", "cifar", "paper-one-tower", "torchvision"];

    private static Network Preset(string name) => name switch
    {
        "paper" => AlexNet.Layers.Presets.AlexNet(),
        "fashion" => AlexNet.Layers.Presets.AlexNetFashion(),
        "cifar" => AlexNet.Layers.Presets.AlexNetCifar(),
        "paper-one-tower" => AlexNet.Layers.Presets.AlexNet(towers: 1, classes: 10),
        "torchvision" => AlexNet.Layers.Presets.TorchvisionAlexNet(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Logits and probabilities from ONNX Runtime match ours within 1e-5 relative on a batch of random
    /// images, towers exported as grouped convolutions, split fully connected maps and per-tower LRN.</summary>
    [Theory]
    [MemberData(nameof(Presets))]
    public void OnnxRuntimeComputesWhatApplyComputes(string preset)
    {
        var net = Preset(preset);
        using var folder = new TempDirectory();
        var p = net.Init(RandomKey.FromSeed(30));
        try
        {
            using var x = Tensor.Normal(RandomKey.FromSeed(31), new Shape([3, .. net.InputShape.Dims]));
            net.ExportOnnx(folder.File("logits.onnx"), p, softmax: false);
            using var logits = OnnxRuntimeRunner.Run(folder.File("logits.onnx"), x);
            using var expected = net.Apply(p, x, Mode.Eval, default);
            double error = OnnxComparison.AssertClose(logits, expected);

            net.ExportOnnx(folder.File("probabilities.onnx"), p);
            using var probabilities = OnnxRuntimeRunner.Run(folder.File("probabilities.onnx"), x);
            using var expectedProbabilities = Inference.PredictProbabilities(net, p, x);
            double probabilityError = OnnxComparison.AssertClose(probabilities, expectedProbabilities);
            output.WriteLine($"{preset}: ONNX Runtime {OnnxRuntimeRunner.Version}, logits max relative difference {error:E2}, probabilities {probabilityError:E2}");
        }
        finally
        {
            p.DisposeAll();
        }
    }

    /// <summary>The exported Fashion-MNIST network passes ONNX's own checker with full shape inference.</summary>
    [OnnxCheckerFact]
    public void TheCheckerAcceptsAnExportedNetwork()
    {
        var net = AlexNet.Layers.Presets.AlexNetFashion();
        using var folder = new TempDirectory();
        var path = folder.File("fashion.onnx");
        var p = net.Init(RandomKey.FromSeed(32));
        net.ExportOnnx(path, p);
        p.DisposeAll();
        var (exitCode, lastLine) = OnnxCheckerFactAttribute.RunPython(OnnxCheckerFactAttribute.Python!,
            "import sys, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
            + "print([d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim][1:], [n.op_type for n in m.graph.node].count('Conv'))", path);
        Assert.True(exitCode == 0, "onnx.checker refused the model: " + lastLine);
        Assert.Equal("[10] 5", lastLine);
    }

    /// <summary>A layer kind defined outside the library exports through the steps it lowers to.</summary>
    [Fact]
    public void AnOutsideLayerKindExportsThroughItsSteps()
    {
        var net = Network.Create(new Shape(3, 9, 9),
            [new Towers("t", 2, new ConvRelu("c1", 4, 3, 1), new ConvRelu("c2", 3, 3, 0), new Lrn("n")), new Flatten("f"), new Dense("out", 5)]);
        using var folder = new TempDirectory();
        var p = net.Init(RandomKey.FromSeed(33));
        net.ExportOnnx(folder.File("custom.onnx"), p);
        using var x = Tensor.Normal(RandomKey.FromSeed(34), new Shape(2, 3, 9, 9));
        using var actual = OnnxRuntimeRunner.Run(folder.File("custom.onnx"), x);
        using var expected = net.Apply(p, x, Mode.Eval, default);
        OnnxComparison.AssertClose(actual, expected);
        p.DisposeAll();
    }

    /// <summary>A layer ONNX cannot express is named, and nothing is written: the torchvision network at 64×64 pools
    /// its 1×1 maps up to 6×6.</summary>
    [Fact]
    public void ALayerOnnxCannotExpressIsNamed()
    {
        var net = AlexNet.Layers.Presets.TorchvisionAlexNet(classes: 10, size: 64);
        var p = net.Init(RandomKey.FromSeed(36));
        using var folder = new TempDirectory();
        var e = Assert.Throws<OnnxExportException>(() => net.ExportOnnx(folder.File("x.onnx"), p));
        Assert.Equal(net.Layers.OfType<AdaptiveAvgPool>().Single().Name, e.LayerName);
        Assert.Contains("from 1×1 to 6×6", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
        p.DisposeAll();
    }

    /// <summary>Parameters that do not fit: one error lists every problem, and no file is written.</summary>
    [Fact]
    public void ParametersThatDoNotFitAreListedAndNothingIsWritten()
    {
        var net = AlexNet.Layers.Presets.AlexNetFashion();
        var p = net.Init(RandomKey.FromSeed(35));
        using var wrong = Tensor.Zeros(new Shape(3));
        var broken = TensorMap.From(p.Where(kv => kv.Key != "conv2.bias")).SetItem("fc8.bias", wrong);
        using var folder = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => net.ExportOnnx(folder.File("x.onnx"), broken));
        var conv2Bias = net.ParameterSpecs.Single(s => s.Name == "conv2.bias").Shape;
        Assert.Contains($"'conv2.bias' {conv2Bias} is missing", e.Message);
        Assert.Contains("'fc8.bias' has shape [3], the network needs [10]", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
        p.DisposeAll();
    }
}
