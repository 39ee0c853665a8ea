using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlexNet.Autograd;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>The public safetensors reader and writer (F32, F16, BF16) and the import of plain weight files into a
/// network: round trips, conversions, one error listing every mismatch, and clear errors for malformed files.</summary>
public sealed class SafeTensorsImportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>fc1.weight [3, 4], fc1.bias [3], fc2.weight [2, 3], fc2.bias [2].</summary>
    private static Network Small => Network.Create(new Shape(4), [new Dense("fc1", 3), new Relu("r"), new Dense("fc2", 2)]);

    /// <summary>The Small network's parameters under PyTorch-style names of another model (net.0, net.2).</summary>
    private static readonly Dictionary<string, string> TorchNames = new()
    {
        ["net.0.weight"] = "fc1.weight", ["net.0.bias"] = "fc1.bias", ["net.2.weight"] = "fc2.weight", ["net.2.bias"] = "fc2.bias",
    };

    private static List<KeyValuePair<string, Tensor>> Tensors(Network net, Func<string, string>? rename = null, int seed = 1) =>
        [.. net.Init(RandomKey.FromSeed(seed)).Map((_, t) => t * 37.3f).Select(kv => KeyValuePair.Create(rename?.Invoke(kv.Key) ?? kv.Key, kv.Value))];

    [Theory]
    [InlineData(SafeTensorsDtype.F32)]
    [InlineData(SafeTensorsDtype.F16)]
    [InlineData(SafeTensorsDtype.BF16)]
    public void WrittenTensorsReadBackAsTheirRoundedValues(SafeTensorsDtype dtype)
    {
        float[] values = [0f, -0f, 1f, -2.25f, 65504f, 1.00390625f, 3.14159265f, 1e-8f, float.PositiveInfinity, float.NaN, 123456.78f];
        var path = PathOf("values.safetensors");
        using var t = Tensor.FromArray(values, new Shape(values.Length));
        SafeTensors.Save(path, [KeyValuePair.Create("v", t)], new Dictionary<string, string> { ["k"] = "v" }, dtype);

        var header = SafeTensors.ReadHeader(path);
        Assert.Equal(dtype, Assert.Single(header.Entries).Dtype);
        Assert.Equal("v", header.Metadata["k"]);
        var (map, metadata) = SafeTensors.Load(path);
        using var read = map["v"];
        Assert.Equal("v", metadata["k"]);
        float[] expected = dtype switch
        {
            SafeTensorsDtype.F32 => values,
            SafeTensorsDtype.F16 => [.. values.Select(v => (float)(Half)v)],
            _ => [.. values.Select(BFloat16)],
        };
        Assert.Equal(expected, read.ToArray());
        if (dtype == SafeTensorsDtype.BF16)
        {
            // Ties go to the even neighbour: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7.
            Assert.Equal(1f, read.ToArray()[5]);
        }
    }

    /// <summary>bfloat16 by definition: the nearest (ties to even) float32 whose low 16 bits are zero, computed in float64.</summary>
    private static float BFloat16(float v)
    {
        if (float.IsNaN(v) || float.IsInfinity(v) || v == 0) return v;
        uint bits = BitConverter.SingleToUInt32Bits(v);
        float down = BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u), up = BitConverter.UInt32BitsToSingle((bits & 0xFFFF0000u) + 0x10000u);
        double dd = Math.Abs((double)v - down), du = Math.Abs((double)up - v);
        if (dd != du) return dd < du ? down : up;
        return ((bits >> 16) & 1) == 0 ? down : up;
    }

    [Fact]
    public void ImportWithANameMapGivesTheNetworksParametersAndCheckpointsThemWithClassNames()
    {
        var net = Small;
        var tensors = Tensors(net, n => TorchNames.First(kv => kv.Value == n).Key);
        var source = PathOf("torch.safetensors");
        SafeTensors.Save(source, tensors, new Dictionary<string, string> { ["format"] = "pt", ["classes"] = "[\"cat\",\"dog\"]" });

        var imported = SafeTensorsImport.Load(source, net, TorchNames);
        Assert.Equal(net.ParameterSpecs.Select(s => s.Name), imported.Keys);
        foreach (var (name, t) in tensors) Assert.Equal(t.ToArray(), imported[TorchNames[name]].ToArray());

        var checkpoint = PathOf("model.ckpt");
        var classes = SafeTensorsImport.SaveAsCheckpoint(source, net, checkpoint, TorchNames);
        Assert.Equal(["cat", "dog"], classes);
        var (loaded, parameters, metadata) = Checkpoint.Load(checkpoint);
        Assert.Equal(net, loaded);
        foreach (var (name, t) in imported) Assert.Equal(t.ToArray(), parameters[name].ToArray());
        Assert.Equal(["cat", "dog"], JsonSerializer.Deserialize<string[]>(metadata[SafeTensorsImport.ClassNamesKey])!);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("torch.safetensors", metadata["import.source"]);

        // Names given by the caller win over the file's; a count that differs from the outputs is refused.
        Assert.Equal(["a", "b"], SafeTensorsImport.SaveAsCheckpoint(source, net, checkpoint, TorchNames, ["a", "b"]));
        var e = Assert.Throws<ArgumentException>(() => SafeTensorsImport.SaveAsCheckpoint(source, net, checkpoint, TorchNames, ["a", "b", "c"]));
        Assert.Contains("3 class names", e.Message);
        Assert.Contains("2 outputs", e.Message);
        imported.DisposeAll();
        parameters.DisposeAll();
    }

    [Fact]
    public void OneErrorListsEveryMissingUnexpectedAndMisshapenTensor()
    {
        var path = PathOf("wrong.safetensors");
        using var w1 = Tensor.Zeros(new Shape(3, 4));
        using var w2 = Tensor.Zeros(new Shape(5, 3));
        using var extra = Tensor.Zeros(new Shape(7));
        SafeTensors.Save(path, [KeyValuePair.Create("fc1.weight", w1), KeyValuePair.Create("fc2.weight", w2), KeyValuePair.Create("head.bias", extra)]);

        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsImport.Load(path, Small));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("missing 2: 'fc1.bias' [3], 'fc2.bias' [2]", e.Message);
        Assert.Contains("unexpected 1: 'head.bias' [7]", e.Message);
        Assert.Contains("mis-shaped 1: 'fc2.weight' is [5, 3] in the file, the network needs [2, 3]", e.Message);
    }

    [Fact]
    public void TorchvisionNamesWithoutTheMapAreRecognisedInTheError()
    {
        var path = PathOf("tv.safetensors");
        using var w = Tensor.Zeros(new Shape(3, 4));
        SafeTensors.Save(path, [KeyValuePair.Create("features.0.weight", w)]);
        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsImport.Load(path, Small));
        Assert.Contains("Presets.TorchvisionAlexNetNames", e.Message);

        // Checkpoint.Load on a plain file says how to import it.
        var c = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains($"alexnet import \"{path}\" --preset torchvision -o \"tv.ckpt\"", c.Message);
    }

    [Fact]
    public void TwoFileTensorsMappedToOneParameterAreReported()
    {
        var path = PathOf("twice.safetensors");
        var tensors = Tensors(Small);
        using var copy = Tensor.Zeros(new Shape(3));
        tensors.Add(KeyValuePair.Create("bias_copy", copy));
        SafeTensors.Save(path, tensors);
        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsImport.Load(path, Small, new Dictionary<string, string> { ["bias_copy"] = "fc1.bias" }));
        Assert.Contains("given twice 1: 'fc1.bias' (from 'fc1.bias' and 'bias_copy')", e.Message);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "dtype-i64", "dtype \"I64\"" },
        { "dtype-bool", "dtype \"BOOL\"" },
        { "truncated", "run past the" },
        { "huge-header", "exceeds the limit of 104857600 bytes" },
        { "header-past-end", "runs past the end" },
        { "offsets-out-of-range", "run past the" },
        { "offsets-wrong-size-f16", "dtype F16 needs 6 bytes" },
        { "negative-offset", "must be non-negative integers" },
        { "overlap", "overlaps" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedFilesAreRefusedWithTheProblemNamed(string kind, string expected)
    {
        var good = PathOf("good.safetensors");
        SafeTensors.Save(good, Tensors(Small));
        var bytes = File.ReadAllBytes(good);
        var path = PathOf(kind + ".safetensors");
        File.WriteAllBytes(path, kind switch
        {
            "dtype-i64" => Edit(bytes, h => h["fc1.bias"]!["dtype"] = "I64"),
            "dtype-bool" => Edit(bytes, h => h["fc1.bias"]!["dtype"] = "BOOL"),
            "truncated" => bytes[..^5],
            "huge-header" => WithLength(bytes, 1UL << 40),
            "header-past-end" => WithLength(bytes, (ulong)bytes.Length),
            "offsets-out-of-range" => Edit(bytes, h => h["fc2.bias"]!["data_offsets"] = new JsonArray(84, 4096)),
            "offsets-wrong-size-f16" => Edit(bytes, h => h["fc1.bias"]!["dtype"] = "F16"),
            "negative-offset" => Edit(bytes, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(-4, 8)),
            "overlap" => Edit(bytes, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(44, 56)),
            _ => throw new ArgumentException(kind),
        });
        foreach (var read in new Action[] { () => SafeTensorsImport.Load(path, Small), () => SafeTensors.Load(path), () => SafeTensors.ReadHeader(path) })
        {
            var e = Assert.Throws<CheckpointFormatException>(read);
            Assert.Contains(expected, e.Message);
            Assert.Contains(path, e.Message);
        }
    }

    [Fact]
    public void NameMapFilesReadAsJsonOrLines()
    {
        var json = PathOf("map.json");
        File.WriteAllText(json, "{\"features.0.weight\": \"conv1.weight\", \"features.0.bias\": \"conv1.bias\"}");
        Assert.Equal("conv1.bias", SafeTensorsImport.ReadNameMap(json)["features.0.bias"]);
        var lines = PathOf("map.txt");
        File.WriteAllText(lines, "# torchvision\nfeatures.0.weight conv1.weight\n\nfeatures.0.bias=conv1.bias\n");
        Assert.Equal(2, SafeTensorsImport.ReadNameMap(lines).Count);
        File.WriteAllText(lines, "features.0.weight\n");
        Assert.Contains("line 1", Assert.Throws<FormatException>(() => SafeTensorsImport.ReadNameMap(lines)).Message);
        File.WriteAllText(lines, "a b\na c\n");
        Assert.Contains("'a' appears twice", Assert.Throws<FormatException>(() => SafeTensorsImport.ReadNameMap(lines)).Message);
        File.WriteAllText(json, "{\"a\": 3}");
        Assert.Contains("must be a non-empty string", Assert.Throws<FormatException>(() => SafeTensorsImport.ReadNameMap(json)).Message);
    }

    [Fact]
    public void ClassNamesInTheMetadataMustBeAJsonArray()
    {
        var metadata = new Dictionary<string, string> { [SafeTensorsImport.ClassNamesKey] = "cat, dog" };
        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsImport.ClassNamesOf(metadata, "f.safetensors"));
        Assert.Contains("JSON array", e.Message);
        Assert.Null(SafeTensorsImport.ClassNamesOf(new Dictionary<string, string>(), "f.safetensors"));
    }

    [Fact]
    public void TheTorchvisionPresetHasTorchvisionsParameterCountAndNames()
    {
        var net = Presets.TorchvisionAlexNet();
        Assert.Equal(61_100_840, net.ParameterCount);
        Assert.Equal(new Shape(1000), net.OutputShape);
        Assert.Equal(16, Presets.TorchvisionAlexNetNames.Count);
        Assert.Equal(net.ParameterSpecs.Select(s => s.Name).Order(), Presets.TorchvisionAlexNetNames.Values.Order());
        Assert.Equal("conv1.weight", Presets.TorchvisionAlexNetNames["features.0.weight"]);
        Assert.Equal("fc8.bias", Presets.TorchvisionAlexNetNames["classifier.6.bias"]);
        // The adaptive pooling takes any size down to 63×63; 62 no longer reaches pool5's window.
        Assert.Equal(new Shape(10), Presets.TorchvisionAlexNet(classes: 10, size: 63).OutputShape);
        Assert.Contains("pool5", Assert.Throws<ArgumentException>(() => Presets.TorchvisionAlexNet(size: 62)).Message);
    }

    private static byte[] WithLength(byte[] file, ulong length)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, length);
        return copy;
    }

    private static byte[] Edit(byte[] file, Action<JsonObject> edit)
    {
        long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, (int)length).TrimEnd())!.AsObject();
        edit(header);
        var text = Encoding.UTF8.GetBytes(header.ToJsonString());
        var data = file[(int)(8 + length)..];
        var result = new byte[8 + text.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)text.Length);
        text.CopyTo(result, 8);
        data.CopyTo(result, 8 + text.Length);
        return result;
    }
}
