using AlexNet.Autograd;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Cli.Tests;

/// <summary><c>alexnet import</c> and <c>alexnet export</c>: plain safetensors weights in, ONNX out, and their faults.</summary>
public sealed class InteropCommandTests
{
    /// <summary>Plain safetensors weights of the one-tower fashion network, as PyTorch would save them (no metadata of
    /// ours), with <paramref name="change"/> applied to the tensor list.</summary>
    private static string PlainWeights(string path, Func<List<KeyValuePair<string, Tensor>>, List<KeyValuePair<string, Tensor>>>? change = null)
    {
        var network = Presets.AlexNetFashion(1, 28, 10, 1);
        using var parameters = network.Init(RandomKey.FromSeed(5));
        var list = change is null ? [.. parameters] : change([.. parameters]);
        SafeTensors.Save(path, list);
        return path;
    }

    [Fact]
    public void ImportedWeightsExportToOnnx()
    {
        using var folder = new TempFolder();
        var weights = PlainWeights(folder["w.safetensors"]);
        var imported = Cli.Run("import", weights, "--preset", "fashion", "-o", folder["w.ckpt"]);
        Assert.True(imported.Exit == 0, imported.ToString());
        Assert.Contains("imported 16 tensors", imported.Output);
        var summary = Cli.Run("summary", "-c", folder["w.ckpt"]);
        Assert.True(summary.Exit == 0, summary.ToString());
        Assert.Contains("model checkpoint", summary.Output);
        var exported = Cli.Run("export", "-c", folder["w.ckpt"], "--onnx", folder["w.onnx"]);
        Assert.True(exported.Exit == 0, exported.ToString());
        Assert.Contains("'input' [N, 1, 28, 28] → 'probabilities' [N, 10]", exported.Output);
        Assert.True(new FileInfo(folder["w.onnx"]).Length > 1_000_000);
        var logits = Cli.Run("export", "-c", folder["w.ckpt"], "--onnx", folder["l.onnx"], "--logits");
        Assert.Contains("'logits' [N, 10]", logits.Output);
    }

    [Fact]
    public void ATrainingCheckpointExportsWithItsPreprocessing()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyData.Checkpoint(folder["t.ckpt"], ["a", "b", "c"]);
        var r = Cli.Run("export", "-c", checkpoint, "--onnx", folder["t.onnx"]);
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("preprocessing (in the model's metadata; --with-preprocessing puts it into the graph): centre 28×28 crop", r.Output);
    }

    [Fact]
    public void PreprocessingGoesIntoTheGraphForTrainingCheckpointsOnly()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyData.Checkpoint(folder["t.ckpt"], ["a", "b", "c"]);
        var r = Cli.Run("export", "-c", checkpoint, "--onnx", folder["t.onnx"], "--with-preprocessing");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("'image' [N, 1, 28, 28] (byte values; cropped, mean subtracted and scaled in the model)", r.Output);
        var weights = PlainWeights(folder["w.safetensors"]);
        Assert.Equal(0, Cli.Run("import", weights, "--preset", "fashion", "-o", folder["w.ckpt"]).Exit);
        Cli.Fails(2, ["export", "-c", folder["w.ckpt"], "--onnx", folder["w.onnx"], "--with-preprocessing"], "records no preprocessing");
    }

    [Fact]
    public void MissingUnexpectedAndMisshapedTensorsAreListedInOneError()
    {
        using var folder = new TempFolder();
        using var odd = Tensor.Zeros(new Shape(3));
        var weights = PlainWeights(folder["w.safetensors"], list =>
        [
            .. list.Where(kv => kv.Key != "conv2.bias").Select(kv => kv.Key == "fc8.bias" ? KeyValuePair.Create(kv.Key, odd) : kv),
            KeyValuePair.Create("extra.weight", odd),
        ]);
        Cli.Fails(1, ["import", weights, "--preset", "fashion", "-o", folder["w.ckpt"]], "conv2.bias", "extra.weight", "fc8.bias");
        Assert.False(File.Exists(folder["w.ckpt"]));
    }

    [Fact]
    public void ATruncatedFileIsNamed()
    {
        using var folder = new TempFolder();
        var weights = PlainWeights(folder["w.safetensors"]);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        Cli.Fails(1, ["import", weights, "--preset", "fashion", "-o", folder["w.ckpt"]], "w.safetensors");
        Assert.False(File.Exists(folder["w.ckpt"]));
    }

    [Fact]
    public void APlainFileGivenAsACheckpointSaysHowToImportIt()
    {
        using var folder = new TempFolder();
        var weights = PlainWeights(folder["w.safetensors"]);
        Cli.Fails(1, ["export", "-c", weights, "--onnx", folder["w.onnx"]], "alexnet import");
        Cli.Fails(1, ["summary", "-c", weights], "alexnet import");
        Assert.False(File.Exists(folder["w.onnx"]));
    }

    [Theory]
    [InlineData("import-missing-file")]
    [InlineData("import-unknown-preset")]
    [InlineData("import-no-output")]
    [InlineData("export-no-onnx")]
    public void ArgumentErrorsExitTwo(string which)
    {
        using var folder = new TempFolder();
        var weights = PlainWeights(folder["w.safetensors"]);
        string[] args = which switch
        {
            "import-missing-file" => ["import", folder["none.safetensors"], "--preset", "fashion", "-o", folder["x.ckpt"]],
            "import-unknown-preset" => ["import", weights, "--preset", "vgg", "-o", folder["x.ckpt"]],
            "import-no-output" => ["import", weights, "--preset", "fashion"],
            _ => ["export", "-c", folder["x.ckpt"]],
        };
        Cli.Fails(2, args);
    }

    [Fact]
    public void AnUnwritableOnnxPathIsNamed()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyData.Checkpoint(folder["t.ckpt"], ["a", "b"]);
        File.WriteAllText(folder["file"], "");
        Cli.Fails(1, ["export", "-c", checkpoint, "--onnx", Path.Combine(folder["file"], "m.onnx")], "Cannot write", "writable --onnx");
    }

    [Fact]
    public void ExportOfAMissingCheckpointIsNamed()
    {
        using var folder = new TempFolder();
        Cli.Fails(1, ["export", "-c", folder["none.ckpt"], "--onnx", folder["x.onnx"]], "none.ckpt");
    }
}
