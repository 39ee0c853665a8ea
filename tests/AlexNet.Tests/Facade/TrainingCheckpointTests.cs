using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Facade.Visualization;
using AlexNet.Layers;
using SkiaSharp;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class TrainingCheckpointTests
{
    [Fact]
    public void ResumingFromTheFileGivesTheSameWeightsAsAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var train = TinyProblem.Data(64, seed: 8);
        var validation = TinyProblem.Data(24, seed: 9);
        var options = TinyProblem.Options(epochs: 4);
        var statistics = DatasetStatistics.Compute(train);
        var transform = TinyProblem.Transform(options, train);
        var network = TinyProblem.Network();
        var model = NetworkModel.Of(network);
        var init = network.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)));

        var straight = new Trainer(model, train, validation, transform, options, CpuBackend.Default).Run(TrainingState.Start(init, options));

        var half = new Trainer(model, train, validation, transform, options with { Epochs = 2 }, CpuBackend.Default).Run(TrainingState.Start(init, options));
        var path = dir.File("run/last.ckpt");
        TrainingCheckpoint.Save(path, new TrainingRun(network, half, options, statistics, train.ClassNames));
        var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal(network, loaded.Network);
        Assert.Equal(options, loaded.Options with { Augmentation = options.Augmentation });
        Assert.Equal(options.Augmentation, loaded.Options.Augmentation);
        // The number of processes travels with the run, so a resume on another number can say so.
        TrainingCheckpoint.Save(dir.File("run/ranks.ckpt"), new TrainingRun(network, half, options with { Ranks = 3 }, statistics, train.ClassNames));
        Assert.Equal(3, TrainingCheckpoint.Load(dir.File("run/ranks.ckpt")).Options.Ranks);
        Assert.Equal(half.Schedule, loaded.State.Schedule);
        Assert.Equal(half.Key, loaded.State.Key);
        Assert.Equal(half.History, loaded.State.History);
        Assert.Equal(statistics.MeanImage, loaded.Statistics.MeanImage);
        Assert.Equal(statistics.Covariance, loaded.Statistics.Covariance);
        Assert.Equal(train.ClassNames, loaded.ClassNames);

        var resumedTransform = new AlexNet.Facade.ImageTransform(loaded.Options.Augmentation!, 1, TinyProblem.Size, TinyProblem.Size, loaded.Statistics);
        var resumed = new Trainer(model, train, validation, resumedTransform, loaded.Options, CpuBackend.Default).Run(loaded.State);
        Assert.Equal(4, resumed.EpochsDone);
        foreach (var name in straight.Parameters.Keys)
            Assert.Equal(straight.Parameters[name].ToArray(), resumed.Parameters[name].ToArray());
    }

    [Fact]
    public void AModelOnlyCheckpointIsRejectedClearly()
    {
        using var dir = new TempDirectory();
        var network = TinyProblem.Network();
        Checkpoint.Save(dir.File("model.ckpt"), network, network.Init(RandomKey.FromSeed(1)));
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingCheckpoint.Load(dir.File("model.ckpt")));
        Assert.Contains("train.", e.Message);
    }

    [Fact]
    public void TheCallersMetadataTravelsWithTheRunAndReservedKeysAreRefused()
    {
        using var dir = new TempDirectory();
        var network = TinyProblem.Network();
        var options = TinyProblem.Options(epochs: 1);
        var train = TinyProblem.Data(8, seed: 1);
        var state = TrainingState.Start(network.Init(RandomKey.FromSeed(1)), options);
        var run = new TrainingRun(network, state, options, DatasetStatistics.Compute(train), train.ClassNames,
                                  new Dictionary<string, string> { ["cli.run"] = "{\"Limit\":20}" });
        TrainingCheckpoint.Save(dir.File("a.ckpt"), run);
        var loaded = TrainingCheckpoint.Load(dir.File("a.ckpt"));
        Assert.Equal(new Dictionary<string, string> { ["cli.run"] = "{\"Limit\":20}" }, loaded.Metadata);
        foreach (var reserved in new[] { "train.options", "data.x", "alexnet.network" })
            Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(dir.File("b.ckpt"), run with { Metadata = new Dictionary<string, string> { [reserved] = "1" } }));
    }

    [Fact]
    public void ClassNamesThatDisagreeWithTheOutputsAreAMalformedCheckpoint()
    {
        using var dir = new TempDirectory();
        var network = TinyProblem.Network();
        var options = TinyProblem.Options(epochs: 1);
        var train = TinyProblem.Data(8, seed: 1);
        var state = TrainingState.Start(network.Init(RandomKey.FromSeed(1)), options);
        TrainingCheckpoint.Save(dir.File("none.ckpt"), new TrainingRun(network, state, options, DatasetStatistics.Compute(train), []));
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingCheckpoint.Load(dir.File("none.ckpt")));
        Assert.Contains($"'data.classes' lists 0 class names but the network has {TinyProblem.Classes} outputs", e.Message);
    }

    [Fact]
    public void MetricsAreWrittenAsCsvAndJsonLines()
    {
        using var dir = new TempDirectory();
        EpochRecord[] history =
        [
            new(1, 0.01f, 1.5, 0.5, 1.2, 0.4, 0.1, 300, 60, 60, ScheduleDecision.Continue),
            new(2, 0.001f, 1.0, 0.3, 0.9, 0.3, 0.05, 310, 58, 118, ScheduleDecision.Dropped),
        ];
        MetricsLog.Write(dir.Path, history);
        var csv = File.ReadAllLines(dir.File("metrics.csv"));
        Assert.Equal(MetricsLog.CsvHeader, csv[0]);
        Assert.Equal("2,0.001,1,0.3,0.9,0.3,0.05,310,58,118,Dropped", csv[2]);
        var jsonl = File.ReadAllLines(dir.File("metrics.jsonl"));
        Assert.Equal(2, jsonl.Length);
        Assert.Contains("\"validation_top1_error\":0.4", jsonl[0]);
        Assert.Contains("\"decision\":\"Dropped\"", jsonl[1]);
    }

    [Fact]
    public void FilterGridDrawsOneTilePerKernelGroupedByTower()
    {
        using var dir = new TempDirectory();
        var weights = Tensor.Normal(RandomKey.FromSeed(3), new Shape(8, 3, 5, 5));
        FilterGrid.SavePng(weights, towers: 2, dir.File("conv1.png"), pixelsPerCell: 2, columns: 4);
        using var image = SKBitmap.Decode(dir.File("conv1.png"));
        // 4 columns of 10-px tiles with 2-px gaps; per tower one row of tiles plus gaps, 12 px between towers.
        Assert.Equal(4 * (10 + 2) + 2, image.Width);
        Assert.Equal(2 * (1 * (10 + 2) + 2) + 12, image.Height);
        Assert.Throws<ArgumentException>(() => FilterGrid.SavePng(Tensor.Zeros(new Shape(6, 2, 3, 3)), 2, dir.File("x.png")));
        Assert.Throws<ArgumentException>(() => FilterGrid.SavePng(Tensor.Zeros(new Shape(6, 1, 3, 3)), 4, dir.File("x.png")));
    }
}
