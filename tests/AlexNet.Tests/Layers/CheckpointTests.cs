using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>Safetensors checkpoints: bit-exact round trips, atomic writes, and a clear error for every malformed file.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>A two-layer net whose file holds fc1.weight [3, 4] at [0, 48), fc1.bias [48, 60), fc2.weight [60, 84),
    /// fc2.bias [84, 92).</summary>
    private static Network Small => Network.Create(new Shape(4), [new Dense("fc1", 3), new Relu("r"), new Dense("fc2", 2)]);

    [Fact]
    public void ATwoTowerNetRoundTripsBitForBitWithMetadataAndExtras()
    {
        var net = LayerTestData.TinyAlexNet();
        var p = net.Init(RandomKey.FromSeed(3)).Map((_, t) => t * 1.7f);   // values with all their mantissa bits
        var extras = TensorMap.Empty.Add("momentum.conv1.weight", Tensor.Normal(RandomKey.FromSeed(4), new Shape(8, 3, 5, 5)))
                                    .Add("step", Tensor.Scalar(float.NaN));
        var meta = new Dictionary<string, string> { ["epoch"] = "12", ["note"] = "ünïcødé \"quoted\"" };
        var path = PathOf("net.safetensors");
        Checkpoint.Save(path, net, p, extras, meta);

        var (net2, p2, meta2) = Checkpoint.Load(path);
        Assert.Equal(net, net2);
        Assert.Equal(p.Keys, p2.Keys);
        foreach (var name in p.Keys) Assert.Equal(LayerTestData.Bits(p[name]), LayerTestData.Bits(p2[name]));
        Assert.Equal(meta, meta2);

        using var other = new CpuBackend(threads: 1);
        var all = Checkpoint.LoadWithExtras(path, other);
        Assert.Equal(extras.Keys, all.Extras.Keys);
        Assert.Equal(LayerTestData.Bits(extras["momentum.conv1.weight"]), LayerTestData.Bits(all.Extras["momentum.conv1.weight"]));
        Assert.True(float.IsNaN(all.Extras["step"].Item()));
        Assert.Same(other, all.Parameters["conv1.weight"].Backend);

        // The model runs the same after loading.
        using var x = LayerTestData.Input(net, 2, 5);
        using var y1 = net.Apply(p, x, Mode.Eval, default);
        using var y2 = net2.Apply(p2, x, Mode.Eval, default);
        Assert.Equal(LayerTestData.Bits(y1), LayerTestData.Bits(y2));
    }

    [Fact]
    public void TheFileIsStandardSafetensors()
    {
        var net = Small;
        var p = net.Init(RandomKey.FromSeed(1));
        var path = PathOf("std.safetensors");
        Checkpoint.Save(path, net, p);
        var bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject();
        Assert.Equal("F32", (string?)header["fc1.weight"]!["dtype"]);
        Assert.Equal("[3,4]", header["fc1.weight"]!["shape"]!.ToJsonString());
        Assert.Equal("[0,48]", header["fc1.weight"]!["data_offsets"]!.ToJsonString());
        Assert.Equal("[84,92]", header["fc2.bias"]!["data_offsets"]!.ToJsonString());
        Assert.Equal(net, Network.FromJson((string)header["__metadata__"]!["alexnet.network"]!));
        Assert.Equal(8 + n + 92, bytes.Length);
        var w = p["fc1.weight"].ToArray();
        Assert.Equal(BitConverter.SingleToInt32Bits(w[1]), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)(8 + n + 4))));
    }

    [Fact]
    public void SavingReplacesTheFileAtomicallyAndLeavesNoTemporaryFile()
    {
        var net = Small;
        var path = PathOf("model.safetensors");
        Checkpoint.Save(path, net, net.Init(RandomKey.FromSeed(1)), new Dictionary<string, string> { ["v"] = "1" });
        Checkpoint.Save(path, net, net.Init(RandomKey.FromSeed(2)), new Dictionary<string, string> { ["v"] = "2" });
        Assert.Equal("2", Checkpoint.Load(path).Metadata["v"]);
        var before = File.ReadAllBytes(path);

        // A write that fails half-way (a released tensor) leaves the old file intact and no temporary file behind.
        var broken = net.Init(RandomKey.FromSeed(3));
        broken["fc2.bias"].Dispose();
        Assert.Throws<ObjectDisposedException>(() => Checkpoint.Save(path, net, broken));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void SaveRefusesMapsThatDoNotMatchTheNetwork()
    {
        var net = LayerTestData.TinyAlexNet();
        var p = net.Init(RandomKey.FromSeed(1));
        var path = PathOf("bad.safetensors");
        using var a = new CpuBackend(threads: 1);
        using var b = new CpuBackend(threads: 1);
        var sharded = new TowerPlacement([a, b]).Shard(net, p);
        Assert.Contains("sharded", Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, net, sharded)).Message);
        Assert.Contains("'extra.weight' is not a parameter", Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(path, net, p.Add("extra.weight", Tensor.Zeros(new Shape(1))))).Message);
        Assert.Contains("needs", Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(path, net, p.SetItem("fc8.bias", Tensor.Zeros(new Shape(3))))).Message);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(path, net, p, new Dictionary<string, string> { ["alexnet.network"] = "{}" })).Message);
        Assert.Contains("taken", Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(path, net, p, TensorMap.Empty.Add("fc8.bias", Tensor.Zeros(new Shape(10))))).Message);
        Assert.False(File.Exists(path));
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(path));
    }

    public static TheoryData<string> MalformedCases => [.. Malformations.Keys];

    /// <summary>Each malformation of a valid file gives a CheckpointFormatException whose message says what is wrong.</summary>
    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void AMalformedFileGivesAClearException(string kind)
    {
        var net = Small;
        var good = PathOf("good.safetensors");
        Checkpoint.Save(good, net, net.Init(RandomKey.FromSeed(7)));
        var (make, expected) = Malformations[kind];
        var bad = PathOf(kind + ".safetensors");
        File.WriteAllBytes(bad, make(File.ReadAllBytes(good)));
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.LoadWithExtras(bad));
        Assert.Contains(expected, e.Message);
        Assert.Equal(bad, e.Path);
        Assert.IsAssignableFrom<IOException>(e);
    }

    [Fact]
    public void ThereAreAtLeastTwentyKindsOfMalformedFile() => Assert.True(Malformations.Count >= 20);

    private static readonly Dictionary<string, (Func<byte[], byte[]> Make, string Message)> Malformations = new()
    {
        ["empty"] = (_ => [], "fewer than the 8-byte"),
        ["five-bytes"] = (f => f[..5], "fewer than the 8-byte"),
        ["zero-header-length"] = (f => WithLength(f, 0), "header length is 0"),
        ["huge-header-length"] = (f => WithLength(f, ulong.MaxValue), "exceeds the limit"),
        ["header-over-limit"] = (f => WithLength(f, 200UL * 1024 * 1024), "exceeds the limit"),
        ["header-past-end"] = (f => WithLength(f, (ulong)f.Length), "runs past the end"),
        ["truncated-in-header"] = (f => f[..20], "runs past the end"),
        ["garbage-header"] = (f => Rebuild("\u0001\u0002 not json at all", Data(f)), "not valid JSON"),
        ["invalid-utf8"] = (f => Raw([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], Data(f)), "not valid JSON"),
        ["cut-json"] = (f => Rebuild(HeaderText(f)[..30], Data(f)), "not valid JSON"),
        ["too-deep"] = (f => Rebuild(new string('[', 40) + new string(']', 40), Data(f)), "not valid JSON"),
        ["header-is-array"] = (f => Rebuild("[1, 2]", Data(f)), "must be a JSON object"),
        ["entry-not-object"] = (f => Edit(f, h => h["fc1.bias"] = 5), "must be described by an object"),
        ["missing-dtype"] = (f => Edit(f, h => h["fc1.bias"]!.AsObject().Remove("dtype")), "lacks one of"),
        ["dtype-f16"] = (f => Edit(f, h => h["fc1.bias"]!["dtype"] = "F16"), "dtype F16 needs 6 bytes"),
        ["dtype-i64"] = (f => Edit(f, h => h["fc1.bias"]!["dtype"] = "I64"), "dtype \"I64\""),
        ["dtype-number"] = (f => Edit(f, h => h["fc1.bias"]!["dtype"] = 32), "\"F32\", \"F16\" or \"BF16\""),
        ["unknown-field"] = (f => Edit(f, h => h["fc1.bias"]!["stride"] = 1), "unexpected or repeated field"),
        ["negative-size"] = (f => Edit(f, h => h["fc1.bias"]!["shape"] = new JsonArray(-3)), "sizes are integers"),
        ["shape-not-array"] = (f => Edit(f, h => h["fc1.bias"]!["shape"] = "3"), "array of sizes"),
        ["offsets-three-numbers"] = (f => Edit(f, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(48, 60, 72)), "[begin, end]"),
        ["offsets-negative"] = (f => Edit(f, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(-12, 0)), "non-negative integers"),
        ["offsets-fractional"] = (f => Edit(f, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(48.5, 60)), "non-negative integers"),
        ["offsets-reversed"] = (f => Edit(f, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(60, 48)), "end before they begin"),
        ["offsets-out-of-range"] = (f => Edit(f, h => h["fc2.bias"]!["data_offsets"] = new JsonArray(84, 4000)), "run past the 92-byte data region"),
        ["offsets-size-mismatch"] = (f => Edit(f, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(48, 56)), "needs 12 bytes"),
        ["overlap"] = (f => Edit(f, h => h["fc1.bias"]!["data_offsets"] = new JsonArray(40, 52)), "overlaps tensor 'fc1.weight'"),
        ["gap"] = (f => Edit(f, h => h["fc2.bias"]!["data_offsets"] = new JsonArray(88, 96), [.. Data(f), 0, 0, 0, 0]), "gap of 4 bytes"),
        ["trailing-bytes"] = (f => Rebuild(HeaderText(f), [.. Data(f), 1, 2, 3, 4]), "trailing bytes"),
        ["truncated-data"] = (f => f[..^4], "run past the 88-byte data region"),
        ["lone-surrogate-name"] = (f => Rebuild(HeaderText(f).Replace("\"fc2.bias\"", "\"\\ud800\""), Data(f)), "not valid JSON"),
        ["duplicate-name"] = (f => Rebuild(HeaderText(f).Replace("\"fc2.bias\"", "\"fc1.bias\""), Data(f)), "names 'fc1.bias' twice"),
        ["metadata-not-object"] = (f => Edit(f, h => h["__metadata__"] = "none"), "'__metadata__' must be an object"),
        ["metadata-value-number"] = (f => Edit(f, h => h["__metadata__"]!["epoch"] = 3), "must be a string"),
        ["no-format-tag"] = (f => Edit(f, h => h["__metadata__"]!.AsObject().Remove("alexnet.format")), "plain safetensors file"),
        ["future-format"] = (f => Edit(f, h => h["__metadata__"]!["alexnet.format"] = "9"), "format '9' is not supported"),
        ["no-model-json"] = (f => Edit(f, h => h["__metadata__"]!.AsObject().Remove("alexnet.network")), "no 'alexnet.network' entry"),
        ["bad-model-json"] = (f => Edit(f, h => h["__metadata__"]!["alexnet.network"] = "{oops"), "model JSON in the metadata is invalid"),
        ["invalid-model"] = (f => Edit(f, h => h["__metadata__"]!["alexnet.network"] = Network.Create(new Shape(3, 4, 4), [new Relu("r")]).ToJson().Replace("\"relu\"", "\"dense\"")), "model JSON in the metadata is invalid"),
        ["missing-tensor"] = (f => Edit(f, h => h.Remove("fc2.bias"), Data(f)[..84]), "parameter 'fc2.bias' [2] of the network is missing"),
        ["undeclared-tensor"] = (f => Edit(f, h => h["bogus"] = Entry([1], 92, 96), [.. Data(f), 0, 0, 0, 0]), "'bogus' is neither a parameter"),
        ["wrong-shape"] = (f => Edit(f, h => h["fc1.weight"]!["shape"] = new JsonArray(4, 3)), "has shape [4, 3] in the file but the network needs [3, 4]"),
        ["declared-extra-missing"] = (f => Edit(f, h => h["__metadata__"]!["alexnet.extras"] = "[\"momentum.fc1.weight\"]"), "declared extra tensor 'momentum.fc1.weight' is missing"),
        ["extras-not-array"] = (f => Edit(f, h => h["__metadata__"]!["alexnet.extras"] = "{\"a\":1}"), "JSON array of tensor names"),
        ["extra-named-like-parameter"] = (f => Edit(f, h => h["__metadata__"]!["alexnet.extras"] = "[\"fc1.bias\"]"), "has the name of a parameter"),
    };

    private static JsonObject Entry(int[] shape, long begin, long end) => new()
    {
        ["dtype"] = "F32",
        ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode?)d)]),
        ["data_offsets"] = new JsonArray(begin, end),
    };

    private static long HeaderLength(byte[] file) => (long)BinaryPrimitives.ReadUInt64LittleEndian(file);

    private static string HeaderText(byte[] file) => Encoding.UTF8.GetString(file, 8, (int)HeaderLength(file)).TrimEnd();

    private static byte[] Data(byte[] file) => file[(int)(8 + HeaderLength(file))..];

    private static byte[] WithLength(byte[] file, ulong length)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, length);
        return copy;
    }

    private static byte[] Rebuild(string header, byte[] data) => Raw(Encoding.UTF8.GetBytes(header), data);

    private static byte[] Raw(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    private static byte[] Edit(byte[] file, Action<JsonObject> edit, byte[]? data = null)
    {
        var header = JsonNode.Parse(HeaderText(file))!.AsObject();
        edit(header);
        return Rebuild(header.ToJsonString(), data ?? Data(file));
    }
}
