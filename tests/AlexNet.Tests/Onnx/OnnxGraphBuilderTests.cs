using AlexNet.Autograd;
using AlexNet.Onnx;
using AlexNet.Tests.Facade;
using Onnx;
using Xunit;

namespace AlexNet.Tests.Onnx;

/// <summary>The graph builder's own rules: the model header, unique names, definitions before use, initializer data,
/// the symbolic batch axis and the atomic write.</summary>
public sealed class OnnxGraphBuilderTests
{
    private static OnnxGraphBuilder ReluGraph(out string output)
    {
        var g = new OnnxGraphBuilder("relu-net", "1.2.3");
        output = g.Relu("relu", g.AddInput("input", new Shape(3, 4)));
        g.AddOutput(output, new Shape(3, 4));
        return g;
    }

    [Fact]
    public void The_model_imports_opset_17_of_the_default_domain_with_its_IR_version_and_producer()
    {
        var model = ReluGraph(out _).Build();
        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
        Assert.Equal("AlexNet", model.ProducerName);
        Assert.Equal("1.2.3", model.ProducerVersion);
        Assert.Equal("relu-net", model.Graph.Name);
    }

    [Fact]
    public void Inputs_and_outputs_are_float_with_a_symbolic_batch_axis()
    {
        var model = ReluGraph(out _).Build();
        foreach (var value in model.Graph.Input.Concat(model.Graph.Output))
        {
            Assert.Equal((int)TensorProto.Types.DataType.Float, value.Type.TensorType.ElemType);
            var dims = value.Type.TensorType.Shape.Dim;
            Assert.Equal("N", dims[0].DimParam);
            Assert.Equal([3L, 4L], dims.Skip(1).Select(d => d.DimValue));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void One_file_runs_on_any_batch_size(int batch)
    {
        using var folder = new TempDirectory();
        var g = new OnnxGraphBuilder("fc");
        using var w = Tensor.Normal(RandomKey.FromSeed(1), new Shape(2, 6));
        g.AddOutput(g.Gemm("fc", g.AddInput("x", new Shape(6)), g.AddInitializer("fc.weight", w), null), new Shape(2));
        g.Save(folder.File("fc.onnx"));
        using var x = Tensor.Normal(RandomKey.FromSeed(2), new Shape(batch, 6));
        using var y = OnnxRuntimeRunner.Run(folder.File("fc.onnx"), x);
        using var expected = Ops.Linear(x, w);
        OnnxComparison.AssertClose(y, expected);
    }

    [Fact]
    public void Names_from_one_hint_are_made_unique_for_values_and_nodes()
    {
        var g = new OnnxGraphBuilder("names");
        var x = g.AddInput("x", new Shape(2));
        var a = g.Relu("relu", x);
        var b = g.Relu("relu", a);
        Assert.Equal("relu", a);
        Assert.Equal("relu_1", b);
        Assert.Equal("relu_2", g.UniqueName("relu"));
        Assert.Equal("x_1", g.UniqueName("x"));
        g.AddOutput(b, new Shape(2));
        Assert.Equal(["relu", "relu_1"], g.Build().Graph.Node.Select(n => n.Name));
    }

    [Fact]
    public void A_reserved_name_is_not_defined_until_a_node_produces_it()
    {
        var g = new OnnxGraphBuilder("reserved");
        var x = g.AddInput("x", new Shape(2));
        var name = g.UniqueName("y");
        Assert.False(g.IsDefined(name));
        var e = Assert.Throws<ArgumentException>(() => g.Relu("relu", name));
        Assert.Contains("'y' is not defined", e.Message);
        g.AddNode("Relu", "relu", [x], [name]);
        Assert.True(g.IsDefined(name));
    }

    [Fact]
    public void A_node_may_only_use_values_defined_before_it()
    {
        var g = new OnnxGraphBuilder("order");
        g.AddInput("x", new Shape(2));
        var e = Assert.Throws<ArgumentException>(() => g.AddNode("Relu", "relu", ["missing"], ["y"]));
        Assert.Contains("'missing' is not defined yet", e.Message);
        Assert.Equal(0, g.NodeCount);
    }

    [Fact]
    public void A_value_cannot_be_defined_twice()
    {
        var g = new OnnxGraphBuilder("twice");
        var x = g.AddInput("x", new Shape(2));
        Assert.Contains("already used", Assert.Throws<ArgumentException>(() => g.AddInput("x", new Shape(2))).Message);
        Assert.Contains("already used", Assert.Throws<ArgumentException>(() => g.AddInitializer("x", [1f], [1])).Message);
        Assert.Contains("already defined", Assert.Throws<ArgumentException>(() => g.AddNode("Relu", "relu", [x], [x])).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => g.AddNode("Relu", "relu", [x], ["y"],
            OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("axis", 2))).Message);
    }

    [Fact]
    public void Initializer_data_must_fill_its_shape()
    {
        var g = new OnnxGraphBuilder("init");
        var e = Assert.Throws<ArgumentException>(() => g.AddInitializer("w", new float[5], [2, 3]));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("holds 6 values but 5 were given", e.Message);
        Assert.Throws<ArgumentException>(() => g.AddInitializer("w", new float[0], [2, -1]));
        Assert.False(g.IsDefined("w"));
    }

    [Fact]
    public void Initializers_keep_every_bit_and_the_shape()
    {
        var g = new OnnxGraphBuilder("bits");
        float[] special = [float.Epsilon, -0f, float.MaxValue, float.NaN, 1e-30f];
        using var random = Tensor.Normal(RandomKey.FromSeed(3), new Shape(2, 3, 4));
        var data = special.Concat(random.ToArray()).ToArray();
        g.AddInitializer("w", data, [data.Length]);
        g.AddInt64Initializer("shape", [0, -1, long.MaxValue], [3]);
        g.AddOutput(g.Identity("y", g.AddInput("x", new Shape(1))), new Shape(1));
        var model = g.Build();
        var w = model.Graph.Initializer.Single(t => t.Name == "w");
        Assert.Equal((int)TensorProto.Types.DataType.Float, w.DataType);
        Assert.Equal([(long)data.Length], w.Dims);
        var back = new float[data.Length];
        Buffer.BlockCopy(w.RawData.ToByteArray(), 0, back, 0, w.RawData.Length);
        Assert.Equal(data.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
        var shape = model.Graph.Initializer.Single(t => t.Name == "shape");
        Assert.Equal((int)TensorProto.Types.DataType.Int64, shape.DataType);
        Assert.Equal([0L, -1L, long.MaxValue], Enumerable.Range(0, 3).Select(i => BitConverter.ToInt64(shape.RawData.Span[(8 * i)..])));
    }

    [Fact]
    public void A_refused_node_leaves_no_initializer_behind()
    {
        var g = new OnnxGraphBuilder("refused");
        g.AddInput("x", new Shape(4));
        Assert.Throws<ArgumentException>(() => g.Split("split", "nothing", 1, [2, 2]));
        Assert.Throws<ArgumentException>(() => g.Reshape("reshape", "nothing", [0, -1]));
        g.AddOutput(g.Identity("y", "x"), new Shape(4));
        Assert.Empty(g.Build().Graph.Initializer);
    }

    [Fact]
    public void Outputs_must_be_node_results_declared_once()
    {
        var g = new OnnxGraphBuilder("outputs");
        var x = g.AddInput("x", new Shape(2));
        Assert.Throws<InvalidOperationException>(() => g.Build());
        Assert.Contains("not a value", Assert.Throws<ArgumentException>(() => g.AddOutput("y", new Shape(2))).Message);
        g.AddInitializer("w", [1f, 2f], [2]);
        Assert.Contains("Identity", Assert.Throws<ArgumentException>(() => g.AddOutput("w", new Shape(2))).Message);
        var y = g.Relu("y", x);
        g.AddOutput(y, new Shape(2));
        Assert.Contains("already a graph output", Assert.Throws<ArgumentException>(() => g.AddOutput(y, new Shape(2))).Message);
    }

    [Fact]
    public void Helpers_refuse_settings_ONNX_cannot_take()
    {
        var g = new OnnxGraphBuilder("settings");
        var x = g.AddInput("x", new Shape(2, 5, 5));
        var w = g.AddInitializer("w", new float[2 * 2 * 3 * 3], [2, 2, 3, 3]);
        Assert.Throws<ArgumentException>(() => g.Conv("c", x, w, null, 3, 1, 3, 1));   // padding ≥ kernel
        Assert.Throws<ArgumentException>(() => g.Conv("c", x, w, null, 3, 0, 0, 1));   // stride 0
        Assert.Throws<ArgumentException>(() => g.Conv("c", x, w, null, 3, 1, 0, 0));   // groups 0
        Assert.Throws<ArgumentException>(() => g.Lrn("l", x, 4, 1e-4f, 0.75f, 2f));     // even window
        Assert.Throws<ArgumentException>(() => g.Lrn("l", x, 5, float.NaN, 0.75f, 2f));
        Assert.Throws<ArgumentException>(() => g.MaxPool("p", x, 0, 1, 0));
        Assert.Throws<ArgumentException>(() => g.Split("s", x, 1, [2, 0]));
        Assert.Throws<ArgumentException>(() => g.Reshape("r", x, [-1, -1]));
        Assert.Throws<ArgumentException>(() => g.Concat("c", [], 1));
        Assert.Equal(0, g.NodeCount);
    }

    [Fact]
    public void Save_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "sub", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "an older file");
        var g = ReluGraph(out _);
        g.Save(path);
        Assert.Equal(["model.onnx"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        var read = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(g.Build(), read);
    }

    [Fact]
    public void Save_creates_a_missing_folder()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "a", "b", "model.onnx");
        ReluGraph(out _).Save(path);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void The_export_exception_names_the_layer()
    {
        var e = new OnnxExportException("norm3", "ONNX has no such normalisation; replace it with Lrn");
        Assert.Equal("norm3", e.LayerName);
        Assert.Contains("layer 'norm3'", e.Message);
        Assert.Contains("replace it with Lrn", e.Message);
        Assert.Null(new OnnxExportException("too big").LayerName);
    }
}
