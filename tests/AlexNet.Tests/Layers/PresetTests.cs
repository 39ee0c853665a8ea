using AlexNet.Autograd;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>The AlexNet preset against the paper: order of operations, shapes, parameter counts and initialisation.</summary>
public sealed class PresetTests
{
    private static readonly Dictionary<string, long> s_paperCounts = new()
    {
        ["conv1"] = 34_944, ["conv2"] = 307_456, ["conv3"] = 885_120, ["conv4"] = 663_936, ["conv5"] = 442_624,
        ["fc6"] = 37_752_832, ["fc7"] = 16_781_312, ["fc8"] = 4_097_000,
    };

    [Fact]
    public void TheTwoTowerNetHasThePapersParameterCounts()
    {
        var net = Presets.AlexNet();
        var summary = net.Summary();
        Assert.Equal(60_965_224, summary.TotalParameters);
        Assert.Equal(60_965_224, net.ParameterCount);
        foreach (var (layer, count) in s_paperCounts) Assert.Equal(count, summary[layer].Parameters);
        Assert.Contains("Total parameters: 60,965,224", summary.ToString());
    }

    [Fact]
    public void TheSingleTowerNetHas62378344Parameters()
    {
        var net = Presets.AlexNet(towers: 1);
        Assert.Equal(62_378_344, net.Summary().TotalParameters);
        Assert.Empty(net.TowerBlocks);
        Assert.Equal(new Shape(256, 96, 5, 5), net.ParameterSpecs.Single(s => s.Name == "conv2.weight").Shape);
    }

    [Fact]
    public void ThePaperNetHasItsShapesOrderAndWiring()
    {
        var net = Presets.AlexNet();
        Assert.Equal(new Shape(3, 227, 227), net.InputShape);
        Assert.Equal(new Shape(1000), net.OutputShape);
        var s = net.Summary();
        Assert.Equal(new Shape(96, 55, 55), s["conv1"].OutputShape);
        Assert.Equal(new Shape(96, 27, 27), s["pool1"].OutputShape);
        Assert.Equal(new Shape(256, 27, 27), s["conv2"].OutputShape);
        Assert.Equal(new Shape(256, 13, 13), s["pool2"].OutputShape);
        Assert.Equal(new Shape(384, 13, 13), s["conv3"].OutputShape);
        Assert.Equal(new Shape(256, 6, 6), s["pool5"].OutputShape);
        Assert.Equal(new Shape(9216), s["flatten"].OutputShape);
        Assert.Equal(new Shape(4096), s["fc7"].OutputShape);

        // conv → ReLU → LRN → pool, as the paper (LRN after the ReLU).
        var order = s.Rows.Where(r => r.Depth == 1 || r.Name is "fc8" or "prob").Select(r => r.Name).ToArray();
        Assert.Equal(["conv1", "relu1", "lrn1", "pool1", "conv2", "relu2", "lrn2", "pool2", "conv3", "relu3", "conv4", "relu4",
                      "conv5", "relu5", "pool5", "flatten", "fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8", "prob"], order);

        // PyTorch layouts with the towers stacked: conv2, conv4, conv5 are grouped (each tower sees its own maps);
        // conv3, fc6, fc7 see both towers.
        var shapes = net.ParameterSpecs.ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal(new Shape(96, 3, 11, 11), shapes["conv1.weight"]);
        Assert.Equal(new Shape(256, 48, 5, 5), shapes["conv2.weight"]);
        Assert.Equal(new Shape(384, 256, 3, 3), shapes["conv3.weight"]);
        Assert.Equal(new Shape(384, 192, 3, 3), shapes["conv4.weight"]);
        Assert.Equal(new Shape(256, 192, 3, 3), shapes["conv5.weight"]);
        Assert.Equal(new Shape(4096, 9216), shapes["fc6.weight"]);
        Assert.Equal(new Shape(4096, 4096), shapes["fc7.weight"]);
        Assert.Equal(new Shape(1000, 4096), shapes["fc8.weight"]);

        var lrn = Assert.IsType<Lrn>(net.Layers.OfType<Towers>().First().Body[2]);
        Assert.Equal(new Lrn("lrn1", 5, 1e-4f, 0.75f, 2f), lrn);
        Assert.Equal(new MaxPool("pool1", 3, 2), net.Layers.OfType<Towers>().First().Body[3]);
        Assert.All(net.Layers.OfType<Towers>().Skip(2), t => Assert.Equal(0.5f, Assert.IsType<Dropout>(t.Body[2]).P));
    }

    /// <summary>
    /// Weights N(0, 0.01²); biases 1 in conv2, conv4, conv5, fc6, fc7 and 0 in conv1, conv3, fc8 (paper §5). The same
    /// (expensive) initialisation then runs one eval pass on one 3×227×227 image: 1000 probabilities summing to 1.
    /// </summary>
    [Fact]
    public void InitialisationFollowsThePaperAndTheFullNetRunsOneImage()
    {
        var net = Presets.AlexNet();
        var p = net.Init(RandomKey.FromSeed(2012));
        foreach (var layer in s_paperCounts.Keys)
        {
            var w = p[layer + ".weight"].ToArray();
            double sum = 0, squares = 0;
            foreach (var v in w) sum += v;
            double mean = sum / w.Length;
            foreach (var v in w) squares += (v - mean) * (v - mean);
            double std = Math.Sqrt(squares / w.Length);
            Assert.True(Math.Abs(mean) < 5 * 0.01 / Math.Sqrt(w.Length), $"{layer}: weight mean {mean}");
            Assert.True(Math.Abs(std - 0.01) < 0.01 * Math.Max(0.01, 5 / Math.Sqrt(2.0 * w.Length)), $"{layer}: weight std {std}");
            float bias = layer is "conv2" or "conv4" or "conv5" or "fc6" or "fc7" ? 1f : 0f;
            Assert.All(p[layer + ".bias"].ToArray(), b => Assert.Equal(bias, b));
        }
        Assert.Equal(net.ParameterCount, p.ElementCount);

        using var x = LayerTestData.Input(net, 1, seed: 2);
        using var probabilities = Inference.PredictProbabilities(net, p, x);
        Assert.Equal(new Shape(1, 1000), probabilities.Shape);
        Assert.Equal(1.0, probabilities.ToArray().Sum(v => (double)v), 4);
        p.DisposeAll();
    }

    [Fact]
    public void InitIsAPureFunctionOfTheKeyAndTheParameterName()
    {
        var net = LayerTestData.TinyAlexNet();
        var a = net.Init(RandomKey.FromSeed(9));
        var b = net.Init(RandomKey.FromSeed(9));
        var c = net.Init(RandomKey.FromSeed(10));
        foreach (var name in a.Keys) Assert.Equal(LayerTestData.Bits(a[name]), LayerTestData.Bits(b[name]));
        Assert.NotEqual(a["conv1.weight"].ToArray(), c["conv1.weight"].ToArray());
        Assert.NotEqual(a["conv4.weight"].ToArray()[..20], a["conv5.weight"].ToArray()[..20]);
    }

    /// <summary>The same layers scaled to 28×28 grey images with 10 classes (Fashion-MNIST); it runs forward.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void TheSmallVariantFitsFashionMnist(int towers)
    {
        var net = Presets.AlexNetSmall(towers: towers);
        Assert.Equal(new Shape(1, 28, 28), net.InputShape);
        Assert.Equal(new Shape(10), net.OutputShape);
        Assert.Equal(new Shape(128, 2, 2), net.Summary()["pool5"].OutputShape);
        var p = net.Init(RandomKey.FromSeed(1));
        using var x = LayerTestData.Input(net, 2, 3);
        using var y = net.Apply(p, x, Mode.Train, RandomKey.FromSeed(4));
        Assert.Equal(new Shape(2, 10), y.Shape);
        Assert.All(y.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>The colour preset for 32×32 photographs: 28×28 crops in, the paper's order and wiring, every count from
    /// the layer arithmetic, biases 0, He weights and fc8 at the paper's 0.01.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void TheCifarPresetHasThePapersOrderAndItsOwnInitialisation(int towers)
    {
        var net = Presets.AlexNetCifar(towers: towers);
        Assert.Equal(new Shape(3, 28, 28), net.InputShape);
        Assert.Equal(new Shape(10), net.OutputShape);
        var s = net.Summary();
        Assert.Equal(new Shape(48, 28, 28), s["conv1"].OutputShape);
        Assert.Equal(new Shape(48, 13, 13), s["pool1"].OutputShape);
        Assert.Equal(new Shape(96, 6, 6), s["pool2"].OutputShape);
        Assert.Equal(new Shape(96 * 36), s["flatten"].OutputShape);
        var order = s.Rows.Where(r => r.Depth == (towers == 1 ? 0 : 1) || r.Name is "fc8" or "prob").Select(r => r.Name).ToArray();
        Assert.Equal(["conv1", "relu1", "lrn1", "pool1", "conv2", "relu2", "lrn2", "pool2", "conv3", "relu3", "conv4", "relu4",
                      "conv5", "relu5", "flatten", "fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8", "prob"], order);

        // Grouped layers (conv2, conv4, conv5) see 1/towers of their input; conv3, fc6, fc7 and fc8 see everything.
        int t = towers;
        long expected = (48 * 3 * 25 + 48) + (96 * 48 / t * 25 + 96) + (144 * 96 * 9 + 144) + (144 * 144 / t * 9 + 144)
                      + (96 * 144 / t * 9 + 96) + (768L * 96 * 36 + 768) + (768 * 768 + 768) + (10 * 768 + 10);
        Assert.Equal(expected, net.ParameterCount);

        var specs = net.ParameterSpecs.ToDictionary(p => p.Name);
        Assert.All(specs.Values.Where(p => p.Name.EndsWith(".bias", StringComparison.Ordinal)), b => Assert.Equal((0f, 0f), (b.Mean, b.Std)));
        Assert.Equal(MathF.Sqrt(2f / (3 * 25)), specs["conv1.weight"].Std, 6);
        Assert.Equal(MathF.Sqrt(2f / (96 * 9)), specs["conv3.weight"].Std, 6);
        Assert.Equal(MathF.Sqrt(2f / (96 * 36)), specs["fc6.weight"].Std, 6);
        Assert.Equal(0.01f, specs["fc8.weight"].Std);
    }

    [Fact]
    public void TheFashionPresetKeepsThePapersBiasesOfOne()
    {
        var specs = Presets.AlexNetFashion().ParameterSpecs.ToDictionary(p => p.Name);
        foreach (var name in new[] { "conv2", "conv4", "conv5", "fc6", "fc7" }) Assert.Equal(1f, specs[name + ".bias"].Mean);
        foreach (var name in new[] { "conv1", "conv3", "fc8" }) Assert.Equal(0f, specs[name + ".bias"].Mean);
        Assert.Equal(MathF.Sqrt(2f / 512), specs["fc8.weight"].Std, 6);
    }

    [Theory]
    [InlineData(5, "towers")]
    [InlineData(0, "towers")]
    public void CifarWidthsThatDoNotSplitIntoTheTowersAreRefused(int towers, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => Presets.AlexNetCifar(towers: towers));
        Assert.Equal(parameter, e.ParamName);
    }

    [Theory]
    [InlineData(5, "conv1")]
    [InlineData(0, "towers")]
    public void BadPresetArgumentsAreRefused(int towers, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => Presets.AlexNet(towers: towers));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void SummaryRendersATable()
    {
        var text = LayerTestData.TinyAlexNet().Summary().ToString();
        var lines = text.Split('\n');
        Assert.StartsWith("Layer", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("towers1 ") && l.Contains("Towers×2"));
        Assert.Contains(lines, l => l.StartsWith("  conv1 ") && l.Contains("[8, 16, 16]"));
        Assert.Contains(lines, l => l.StartsWith("fc8 ") && l.Contains("210"));
    }
}
