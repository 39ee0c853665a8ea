using AlexNet.Facade;
using AlexNet.Layers;
using AlexNet.Train.Reporting;
using Xunit;

namespace AlexNet.Cli.Tests;

/// <summary>What the run folder records: which epoch best.ckpt holds, and how the curves are drawn.</summary>
public sealed class ReportingTests
{
    private static EpochRecord Epoch(int epoch, double error) =>
        new(epoch, 0.01f, 1, 0.5, 1, error, error / 2, 100, 1, epoch, ScheduleDecision.Continue);

    [Fact]
    public void ATieDoesNotReplaceTheBestEpoch()
    {
        // The CLI reports the first epoch with the lowest error as best; best.ckpt must hold that one.
        EpochRecord[] history = [Epoch(1, 0.4), Epoch(2, 0.3), Epoch(3, 0.3), Epoch(4, 0.35), Epoch(5, 0.29)];
        Assert.Equal([true, true, false, false, true], history.Select(h => RunRecorder.IsNewBest(history, h)));
        Assert.Equal(2, history.Take(4).MinBy(h => h.ValidationTop1Error)!.Epoch);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void ShortRunsGetWholeEpochTicksAndALegendBesideTheCurves(int epochs)
    {
        double[] x = [.. Enumerable.Range(1, epochs).Select(e => (double)e)];
        var plot = CurvePlots.Build("Error", "error (%)", x, ("train", x.Select(e => 90 - e)), ("validation", x.Select(e => 85 - e)));
        plot.GetImage(900, 540).Dispose(); // renders, which generates the ticks
        var ticks = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.NotEmpty(ticks);
        Assert.All(ticks, t => Assert.Equal(Math.Round(t.Position), t.Position, 1e-9));
        Assert.All(ticks, t => Assert.Matches(@"^\d+$", t.Label)); // before: 1.05, 1.1, … for a two-epoch run
        // The legend is drawn in a panel outside the data area, not over it.
        Assert.False(plot.Legend.IsVisible);
        Assert.Contains(plot.Axes.GetPanels(), p => p is ScottPlot.Panels.LegendPanel);
    }

    [Fact]
    public void ANewBestIsWrittenBeforeLastSoAKilledWriteNeverLeavesLastWithoutBest()
    {
        using var dir = new TempFolder();
        var network = Presets.AlexNetFashion(1, 28, 2, 1);
        var options = new TrainingOptions { Augmentation = AugmentationOptions.None(28), Epochs = 2, BatchSize = 2 };
        int[] labels = [0, 1, 0, 1];
        var statistics = DatasetStatistics.Compute(new InMemoryImageDataset(TinyData.Pixels(labels, 1), labels, 1, 28, 28, ["a", "b"]), 1);
        var record = Epoch(1, 0.5);
        var state = TrainingState.Start(network.Init(RandomKeys.Initialisation(RandomKeys.Root(1))), options) with { EpochsDone = 1, History = [record] };
        // last.ckpt cannot be written (a folder has its name): the write that fails must be the second one.
        Directory.CreateDirectory(dir["last.ckpt"]);
        var recorder = new RunRecorder(dir.Path, network, options, statistics, ["a", "b"], new Dictionary<string, string>(),
                                       new PlainProgress(2, () => null, TimeSpan.FromHours(1), TextWriter.Null));
        Assert.ThrowsAny<IOException>(() => recorder.EpochCompleted(record, state));
        Assert.True(File.Exists(dir["best.ckpt"]));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp")); // the failed write left no temporary file
    }
}
