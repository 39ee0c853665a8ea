using AlexNet.Autograd;
using AlexNet.Onnx;
using AlexNet.Tests.Facade;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Onnx;

/// <summary>A graph of every node helper, wired as the exporter would (towers split, normalised and joined, a grouped
/// convolution, both poolings, flattening, a fully connected layer, dropout as the identity, softmax): ONNX's own
/// structural checker accepts it, and ONNX Runtime computes what the same chain of our ops computes.</summary>
public sealed class OnnxCheckerTests(ITestOutputHelper output)
{
    private static TensorMap Parameters()
    {
        var key = RandomKey.FromSeed(20);
        Tensor Param(int i, params int[] dims) => Tensor.Normal(key.Fold((ulong)i), new Shape(dims), std: 0.1f);
        return TensorMap.Empty
            .Add("conv1.weight", Param(1, 8, 3, 3, 3)).Add("conv1.bias", Param(2, 8))
            .Add("conv2.weight", Param(3, 8, 4, 3, 3))
            .Add("fc.weight", Param(4, 10, 272)).Add("fc.bias", Param(5, 10));
    }

    private static OnnxGraphBuilder Graph(TensorMap p)
    {
        var g = new OnnxGraphBuilder("every-operator");
        var x = g.AddInput("input", new Shape(3, 15, 15));
        x = g.Conv("conv1", x, g.AddInitializer("conv1.weight", p["conv1.weight"]), g.AddInitializer("conv1.bias", p["conv1.bias"]), 3, 2, 1, 1);
        x = g.Relu("relu1", x);                                                                          // [8, 8, 8]
        var towers = g.Split("towers", x, 1, [4, 4]);
        x = g.Concat("join", [.. towers.Select((t, i) => g.Lrn($"lrn{i}", t, 3, 1e-2f, 0.75f, 2f))], 1);
        x = g.Conv("conv2", x, g.AddInitializer("conv2.weight", p["conv2.weight"]), null, 3, 1, 1, 2);     // [8, 8, 8]
        var max = g.MaxPool("pool_max", x, 3, 2, 1);                                                     // [8, 4, 4]
        var average = g.AveragePool("pool_avg", x, 3, 2, 1, countIncludePad: true);                     // [8, 4, 4]
        x = g.Concat("pools", [max, average], 1);                                                        // [16, 4, 4]
        var global = g.Flatten("global_flat", g.GlobalAveragePool("global", x));                         // [16]
        x = g.Reshape("flat", x, [0, -1]);                                                               // [256]
        x = g.Concat("features", [x, global], 1);                                                        // [272]
        x = g.Gemm("fc", x, g.AddInitializer("fc.weight", p["fc.weight"]), g.AddInitializer("fc.bias", p["fc.bias"]));
        x = g.Softmax("prob", g.Identity("drop", x));
        g.AddOutput(x, new Shape(10));
        return g;
    }

    /// <summary>The same chain in our ops (average pooling with padding counted: a depthwise sum over the window / 9).</summary>
    private static Tensor Reference(Tensor input, TensorMap p)
    {
        using var c1 = Ops.Conv2d(input, p["conv1.weight"], p["conv1.bias"], stride: 2, padding: 1);
        using var r1 = Ops.Relu(c1);
        using var t0 = Ops.Slice(r1, 1, 0, 4);
        using var t1 = Ops.Slice(r1, 1, 4, 4);
        using var l0 = Ops.Lrn(t0, 3, 1e-2f, 0.75f, 2f);
        using var l1 = Ops.Lrn(t1, 3, 1e-2f, 0.75f, 2f);
        using var joined = Ops.Concat([l0, l1], 1);
        using var c2 = Ops.Conv2d(joined, p["conv2.weight"], padding: 1, groups: 2);
        using var max = Ops.MaxPool2d(c2, 3, 2, 1);
        using var ones = Tensor.Ones(new Shape(8, 1, 3, 3));
        using var sums = Ops.Conv2d(c2, ones, stride: 2, padding: 1, groups: 8);
        using var average = sums / 9f;
        using var pools = Ops.Concat([max, average], 1);
        using var global = Ops.Mean(pools, [2, 3]);
        using var flat = Ops.Flatten(pools);
        using var features = Ops.Concat([flat, global], 1);
        using var logits = Ops.Linear(features, p["fc.weight"], p["fc.bias"]);
        return Ops.Softmax(logits);
    }

    [OnnxCheckerFact]
    public void The_checker_with_full_shape_inference_accepts_a_graph_of_every_operator()
    {
        using var folder = new TempDirectory();
        var path = folder.File("every.onnx");
        var p = Parameters();
        Graph(p).Save(path);
        p.DisposeAll();
        var (exitCode, lastLine) = OnnxCheckerFactAttribute.RunPython(OnnxCheckerFactAttribute.Python!,
            "import sys, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
            + "print('onnx', onnx.__version__, 'accepts IR', m.ir_version, 'opset', m.opset_import[0].version)", path);
        Assert.True(exitCode == 0, "onnx.checker refused the model: " + lastLine);
        output.WriteLine(lastLine);
    }

    [Fact]
    public void ONNX_Runtime_computes_the_chain_of_every_operator_as_our_ops_do()
    {
        using var folder = new TempDirectory();
        var path = folder.File("every.onnx");
        var p = Parameters();
        try
        {
            Graph(p).Save(path);
            using var x = Tensor.Normal(RandomKey.FromSeed(21), new Shape(3, 3, 15, 15));
            using var actual = OnnxRuntimeRunner.Run(path, x);
            using var expected = Reference(x, p);
            double error = OnnxComparison.AssertClose(actual, expected);
            output.WriteLine($"every operator chained: max relative difference {error:E2}");
        }
        finally
        {
            p.DisposeAll();
        }
    }
}
