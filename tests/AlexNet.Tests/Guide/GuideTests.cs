using System.Text.RegularExpressions;
using AlexNet.Autograd;
using AlexNet.Layers;
using AlexNet.Tests.Facade;
using AlexNet.Tests.Onnx;
using Xunit;

namespace AlexNet.Tests.Guide;

/// <summary>docs/library.md cannot rot: its code is <see cref="GuideSnippets"/>, which these tests compile and run.</summary>
public sealed partial class GuideTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AlexNet.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("AlexNet.sln not found above the test assembly.");
    }

    private static string Dedent(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        int indent = list.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", list.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim())).Trim();
    }

    /// <summary>Every <c>// guide:NAME</c> region of the snippets file, dedented.</summary>
    private static Dictionary<string, string> Regions()
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "tests/AlexNet.Tests/Guide/GuideSnippets.cs"));
        var regions = new Dictionary<string, string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var m = RegionStart().Match(lines[i]);
            if (!m.Success) continue;
            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "// end");
            regions[m.Groups[1].Value] = Dedent(lines[(i + 1)..end]);
        }
        return regions;
    }

    /// <summary>Every <c>&lt;!-- guide:NAME --&gt;</c> code block of the guide.</summary>
    private static Dictionary<string, string> Blocks()
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "docs/library.md"));
        var blocks = new Dictionary<string, string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var m = BlockMarker().Match(lines[i]);
            if (!m.Success) continue;
            int open = Array.FindIndex(lines, i + 1, l => l.StartsWith("```csharp", StringComparison.Ordinal));
            int close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            blocks[m.Groups[1].Value] = Dedent(lines[(open + 1)..close]);
        }
        return blocks;
    }

    [Fact]
    public void TheGuideShowsExactlyTheTestedCode()
    {
        var regions = Regions();
        var blocks = Blocks();
        Assert.NotEmpty(regions);
        Assert.Equal(regions.Keys.Order(), blocks.Keys.Order());
        foreach (var (name, code) in regions) Assert.True(code == blocks[name], $"docs/library.md block '{name}' differs from GuideSnippets.cs:\n{blocks[name]}\n---\n{code}");
    }

    [Fact]
    public void TheHandWrittenLoopLearnsSavesAndExports()
    {
        var train = BandsAndSquares.Create(2000, seed: 1);
        var test = BandsAndSquares.Create(500, seed: 2);
        var net = GuideSnippets.DefineLeNet();
        using var trained = GuideSnippets.TrainByHand(net, train, batchSize: 50, learningRate: 0.05f);
        double accuracy = GuideSnippets.Accuracy(net, trained, test);
        Assert.True(accuracy > 0.4, $"accuracy {accuracy} (chance 0.1)");

        using var folder = new TempDirectory();
        var (loaded, weights) = GuideSnippets.SaveAndLoad(net, trained, folder.Path);
        Assert.Equal(net, loaded);
        Assert.Equal(accuracy, GuideSnippets.Accuracy(loaded, weights, test));
        GuideSnippets.Export(net, trained, folder.Path);
        var (x, _) = GuideSnippets.Batch(test, 0, 4);
        using var fromOnnx = OnnxRuntimeRunner.Run(Path.Combine(folder.Path, "lenet.onnx"), x);
        using var ours = net.Apply(trained, x, Mode.Eval, default);   // the network has no softmax layer: logits
        OnnxComparison.AssertClose(fromOnnx, ours);
        weights.Dispose();
        x.Dispose();
    }

    [Fact]
    public void TheTrainerTrainsSavesAndPredicts()
    {
        var train = BandsAndSquares.Create(1000, seed: 3);
        var test = BandsAndSquares.Create(10, seed: 4);
        using var folder = new TempDirectory();
        var prediction = GuideSnippets.TrainWithTheTrainer(GuideSnippets.DefineLeNet(), train, test, folder.Path);
        Assert.Equal(10, prediction.Probabilities.Count);
        Assert.InRange(prediction.Probabilities.Sum(), 0.999f, 1.001f);
        Assert.Equal(prediction.Top[0].ClassName, prediction.ClassName);
    }

    [Fact]
    public void TheRingsTrainThroughTheirOwnDataset()
    {
        var result = GuideSnippets.TrainOnRings(RingPoints(600, seed: 1), RingPoints(200, seed: 2), RingPoints(400, seed: 3));
        Assert.True(result.Top1Error < 0.05, $"test error {result.Top1Error} (chance 0.5)");
    }

    /// <summary>Half the points at radius 1, half at radius 2, at uniformly random angles, with a little radial noise.</summary>
    private static Rings RingPoints(int count, int seed)
    {
        var random = new Random(seed);
        var points = new float[2 * count];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            double angle = 2 * Math.PI * random.NextDouble(), radius = 1 + labels[i] + 0.2 * (random.NextDouble() - 0.5);
            points[2 * i] = (float)(radius * Math.Cos(angle));
            points[2 * i + 1] = (float)(radius * Math.Sin(angle));
        }
        return new Rings(points, labels);
    }

    [Fact]
    public void TheCustomOpPassesTheCheckAndTheCustomLayerRoundTrips()
    {
        Assert.True(GuideSnippets.CustomOp().Passed);
        var net = GuideSnippets.CustomLayer();
        Assert.Equal(net, Network.FromJson(net.ToJson()));
        Assert.Equal("ConvReluBlock", net.Summary()["block1"].Kind);
    }

    [GeneratedRegex(@"^\s*// guide:([a-z-]+)\s*$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"^<!-- guide:([a-z-]+) -->$")]
    private static partial Regex BlockMarker();
}
