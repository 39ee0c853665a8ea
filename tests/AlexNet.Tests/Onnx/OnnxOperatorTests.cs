using AlexNet.Autograd;
using AlexNet.Onnx;
using AlexNet.Tests.Facade;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Onnx;

/// <summary>
/// Each node helper of <see cref="OnnxGraphBuilder"/> in a one-operator graph, run in ONNX Runtime (CPU) on random
/// inputs and compared with our own primitive within 1e-5 relative: the attributes say what our ops compute.
/// </summary>
public sealed class OnnxOperatorTests(ITestOutputHelper output)
{
    private static Tensor Random(int seed, params int[] dims) => Tensor.Normal(RandomKey.FromSeed(seed), new Shape(dims));

    private static Shape Example(Shape batched) => new([.. batched.Dims.Skip(1)]);

    /// <summary>Builds a graph with input "x" (x's shape less the batch axis), lets <paramref name="body"/> add the
    /// nodes, declares the output with <paramref name="expected"/>'s shape, saves it, runs it in ONNX Runtime and
    /// compares; the relative error is printed and returned.</summary>
    private double Check(string what, Tensor x, Tensor expected, Func<OnnxGraphBuilder, string, string> body)
    {
        var builder = new OnnxGraphBuilder(what);
        var input = builder.AddInput("x", Example(x.Shape));
        var result = body(builder, input);
        builder.AddOutput(result, Example(expected.Shape));
        using var folder = new TempDirectory();
        var path = folder.File(what + ".onnx");
        builder.Save(path);
        using var actual = OnnxRuntimeRunner.Run(path, x);
        double error = OnnxComparison.AssertClose(actual, expected);
        output.WriteLine($"{what}: max relative difference {error:E2} (ONNX Runtime {OnnxRuntimeRunner.Version})");
        return error;
    }

    [Theory]
    [InlineData(2, 4, 9, 6, 3, 2, 1, 2, true)]     // two towers fused: group = 2, strided, padded
    [InlineData(3, 3, 23, 8, 11, 4, 0, 1, true)]   // conv1's geometry, small
    [InlineData(2, 6, 8, 6, 5, 1, 2, 3, false)]    // three groups, no bias
    public void Conv_matches_Conv2d(int n, int c, int size, int o, int k, int stride, int pad, int groups, bool withBias)
    {
        using var x = Random(1, n, c, size, size);
        using var w = Random(2, o, c / groups, k, k);
        using var b = Random(3, o);
        using var expected = Ops.Conv2d(x, w, withBias ? b : null, stride, pad, groups);
        Check("conv", x, expected, (g, input) => g.Conv("conv1", input, g.AddInitializer("conv1.weight", w),
            withBias ? g.AddInitializer("conv1.bias", b) : null, k, stride, pad, groups));
    }

    [Fact]
    public void Relu_matches_Relu()
    {
        using var x = Random(4, 3, 5, 4, 4);
        using var expected = Ops.Relu(x);
        Assert.Equal(0, Check("relu", x, expected, (g, input) => g.Relu("relu1", input)));
    }

    /// <summary>A strong normalisation (large α, inputs of scale 3) so that a wrong α conversion could not pass; the
    /// paper's own values too. Seven channels put windows against both channel edges.</summary>
    [Theory]
    [InlineData(5, 1e-4f, 0.75f, 2f)]
    [InlineData(5, 0.2f, 0.75f, 1f)]
    [InlineData(3, 0.5f, 0.5f, 1.5f)]
    public void Lrn_matches_Lrn_with_alpha_times_size(int size, float alpha, float beta, float k)
    {
        using var raw = Random(5, 2, 7, 5, 5);
        using var x = raw * 3f;
        using var expected = Ops.Lrn(x, size, alpha, beta, k);
        Check("lrn", x, expected, (g, input) => g.Lrn("lrn1", input, size, alpha, beta, k));
    }

    [Fact]
    public void Lrn_writes_alpha_times_size_and_k_as_bias()
    {
        var g = new OnnxGraphBuilder("lrn");
        var y = g.Lrn("lrn1", g.AddInput("x", new Shape(4, 3, 3)), 5, 1e-4f, 0.75f, 2f);
        g.AddOutput(y, new Shape(4, 3, 3));
        var node = Assert.Single(g.Build().Graph.Node);
        Assert.Equal("LRN", node.OpType);
        Assert.Equal(5e-4f, node.Attribute.Single(a => a.Name == "alpha").F, 1e-10f);
        Assert.Equal(2f, node.Attribute.Single(a => a.Name == "bias").F);
        Assert.Equal(0.75f, node.Attribute.Single(a => a.Name == "beta").F);
        Assert.Equal(5L, node.Attribute.Single(a => a.Name == "size").I);
    }

    /// <summary>Negative inputs with padding: a padding cell that counted as 0 would win every border window.</summary>
    [Theory]
    [InlineData(3, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(2, 2, 0)]
    public void MaxPool_matches_MaxPool2d(int kernel, int stride, int pad)
    {
        using var raw = Random(6, 2, 3, 9, 9);
        using var x = raw - 5f;
        using var expected = Ops.MaxPool2d(x, kernel, stride, pad);
        Check("maxpool", x, expected, (g, input) => g.MaxPool("pool1", input, kernel, stride, pad));
    }

    /// <summary>Our primitive set has no average pooling; the reference is composed from it: a depthwise convolution
    /// with weights 1 sums each window, divided by k² (count_include_pad) or by the same convolution of ones (the number
    /// of real cells in the window).</summary>
    [Theory]
    [InlineData(3, 2, 1, true)]
    [InlineData(3, 2, 1, false)]
    [InlineData(2, 2, 0, false)]
    public void AveragePool_matches_a_window_sum_divided_by_the_count(int kernel, int stride, int pad, bool countIncludePad)
    {
        const int channels = 3;
        using var x = Random(7, 2, channels, 8, 8);
        using var ones = Tensor.Ones(new Shape(channels, 1, kernel, kernel));
        using var sums = Ops.Conv2d(x, ones, stride: stride, padding: pad, groups: channels);
        using var cells = Tensor.Ones(x.Shape);
        using var counts = countIncludePad
            ? Tensor.Full(sums.Shape, kernel * kernel)
            : Ops.Conv2d(cells, ones, stride: stride, padding: pad, groups: channels);
        using var expected = Ops.Div(sums, counts);
        Check("avgpool", x, expected, (g, input) => g.AveragePool("pool", input, kernel, stride, pad, countIncludePad));
    }

    [Fact]
    public void GlobalAveragePool_matches_the_mean_over_height_and_width()
    {
        using var x = Random(8, 2, 4, 6, 5);
        using var expected = Ops.Mean(x, [2, 3], keepDims: true);
        Check("gap", x, expected, (g, input) => g.GlobalAveragePool("gap", input));
    }

    [Fact]
    public void Flatten_matches_Flatten()
    {
        using var x = Random(9, 3, 4, 3, 2);
        using var expected = Ops.Flatten(x);
        Assert.Equal(0, Check("flatten", x, expected, (g, input) => g.Flatten("flatten", input)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gemm_matches_Linear(bool withBias)
    {
        using var x = Random(10, 4, 37);
        using var w = Random(11, 13, 37);
        using var b = Random(12, 13);
        using var expected = Ops.Linear(x, w, withBias ? b : null);
        Check("gemm", x, expected, (g, input) => g.Gemm("fc", input, g.AddInitializer("fc.weight", w),
            withBias ? g.AddInitializer("fc.bias", b) : null));
    }

    [Theory]
    [InlineData(new[] { 4, 10 })]
    [InlineData(new[] { 2, 3, 7 })]   // only the last axis is normalised (opset ≥ 13)
    public void Softmax_matches_Softmax(int[] dims)
    {
        using var raw = Random(13, dims);
        using var x = raw * 4f;
        using var expected = Ops.Softmax(x);
        Check("softmax", x, expected, (g, input) => g.Softmax("prob", input));
    }

    [Fact]
    public void Split_then_Concat_matches_Slice_and_Concat()
    {
        using var x = Random(14, 2, 7, 3, 3);
        using var first = Ops.Slice(x, 1, 0, 3);
        using var second = Ops.Slice(x, 1, 3, 4);
        using var first2 = Ops.Relu(first);
        using var expected = Ops.Concat([second, first2], 1);
        // the parts swapped and one changed, so a Split that ignored its sizes, or a Concat that ignored the order, fails
        Check("split-concat", x, expected, (g, input) =>
        {
            var parts = g.Split("split", input, 1, [3, 4]);
            return g.Concat("concat", [parts[1], g.Relu("relu", parts[0])], 1);
        });
    }

    [Fact]
    public void Split_returns_every_part_in_order()
    {
        using var x = Random(15, 3, 10);
        var g = new OnnxGraphBuilder("split");
        var parts = g.Split("split", g.AddInput("x", new Shape(10)), 1, [2, 5, 3]);
        int[] sizes = [2, 5, 3];
        for (int i = 0; i < parts.Count; i++) g.AddOutput(parts[i], new Shape(sizes[i]));
        using var folder = new TempDirectory();
        g.Save(folder.File("split.onnx"));
        var outputs = OnnxRuntimeRunner.RunAll(folder.File("split.onnx"), new Dictionary<string, Tensor> { ["x"] = x });
        for (int i = 0, start = 0; i < parts.Count; start += sizes[i], i++)
        {
            using var expected = Ops.Slice(x, 1, start, sizes[i]);
            Assert.Equal(0, OnnxComparison.RelativeError(outputs[parts[i]], expected));
        }
    }

    [Fact]
    public void Reshape_with_a_copied_batch_axis_matches_Reshape()
    {
        using var x = Random(16, 3, 4, 6);
        using var expected = Ops.Reshape(x, 3, 2, -1, 2);
        Assert.Equal(0, Check("reshape", x, expected, (g, input) => g.Reshape("reshape", input, [0, 2, -1, 2])));
    }

    [Fact]
    public void Identity_returns_its_input()
    {
        using var x = Random(17, 2, 9);
        Assert.Equal(0, Check("identity", x, x, (g, input) => g.Identity("drop6", input)));
    }
}
