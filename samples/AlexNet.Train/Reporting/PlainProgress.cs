using System.Diagnostics;
using AlexNet.Facade;

namespace AlexNet.Train.Reporting;

/// <summary>Progress for logs and CI (stdout not a terminal): a status line at most every <c>interval</c>, and the
/// epoch's summary line.</summary>
internal sealed class PlainProgress(int epochs, Func<TimeSpan?> runRemaining, TimeSpan interval, TextWriter output) : ITrainingObserver
{
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int batches, float learningRate) => _sinceLast.Restart();

    /// <inheritdoc/>
    public void BatchCompleted(BatchProgress p)
    {
        if (_sinceLast.Elapsed < interval) return;
        _sinceLast.Restart();
        var run = runRemaining();
        output.WriteLine($"  epoch {p.Epoch}/{epochs} step {p.Batch}/{p.Batches} | loss {Format.Number(p.Loss)} acc {Format.Percent(p.Accuracy)} | {p.ImagesPerSecond:F0} img/s"
                        + $" | epoch left {Format.Duration(p.EpochRemaining)}" + (run is { } r ? $", run ≤ {Format.Duration(r)}" : ""));
    }

    /// <inheritdoc/>
    public void ValidationProgress(int done, int total)
    {
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochRecord record, TrainingState state) => output.WriteLine(EpochLine.Of(record, epochs));
}
