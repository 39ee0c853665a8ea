using System.Diagnostics;
using System.Globalization;

namespace AlexNet.Facade;

/// <summary>
/// Prints a run's progress as plain text lines: one per epoch (rate, training loss and error, validation figures when
/// the run has a validation set, speed, time, and what the schedule decided), and optionally a line about the epoch in
/// progress at most every <c>batchInterval</c>. Pass it to <see cref="Trainer.Run"/> to see a run without writing an
/// observer; it suits a console, a log file and CI alike (no cursor movement, invariant culture).
/// </summary>
/// <example><code>
/// var end = trainer.Run(start, new ConsoleProgress(batchInterval: TimeSpan.FromSeconds(10)));
/// // epoch 1 lr 0.01 | train loss 0.6234 err 22.81% | val loss 0.4102 top-1 14.95% top-5 0.41% | 1043 img/s | 0:57
/// </code></example>
public sealed class ConsoleProgress : ITrainingObserver
{
    private readonly TextWriter _output;
    private readonly TimeSpan? _batchInterval;
    private readonly int? _epochs;
    private readonly Stopwatch _sinceLine = new();

    /// <summary>Creates the printer.</summary>
    /// <param name="output">Where the lines go; the console's standard output when null.</param>
    /// <param name="batchInterval">Also print a line about the epoch in progress when at least this long has passed
    /// since the epoch started or the last such line (<see cref="TimeSpan.Zero"/>: after every step); epoch lines only
    /// when null.</param>
    /// <param name="epochs">The run's epoch limit, shown as "epoch 3/10"; left out when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The interval is negative or the epoch limit below 1.</exception>
    public ConsoleProgress(TextWriter? output = null, TimeSpan? batchInterval = null, int? epochs = null)
    {
        if (batchInterval is { } interval) ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero, nameof(batchInterval));
        if (epochs is { } e) ArgumentOutOfRangeException.ThrowIfLessThan(e, 1, nameof(epochs));
        _output = output ?? Console.Out;
        _batchInterval = batchInterval;
        _epochs = epochs;
    }

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int batches, float learningRate) => _sinceLine.Restart();

    /// <inheritdoc/>
    public void BatchCompleted(BatchProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (_batchInterval is not { } interval || _sinceLine.Elapsed < interval) return;
        _sinceLine.Restart();
        _output.WriteLine(Invariant($"  {Epoch(progress.Epoch)} step {progress.Batch}/{progress.Batches} lr {progress.LearningRate:G4} | loss {progress.Loss:F4} acc {Percent(progress.Accuracy)}")
                        + Invariant($" | {progress.ImagesPerSecond:F0} img/s | epoch left {Duration(progress.EpochRemaining)}"));
    }

    /// <inheritdoc/>
    public void ValidationProgress(int done, int total)
    {
        // Validation is part of the epoch's line; a pass is short next to the epoch's steps.
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochRecord record, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(record);
        _output.WriteLine(Line(record, _epochs));
    }

    /// <summary>The line printed for an epoch, e.g. <c>epoch 3/30 lr 0.01 | train loss 0.4100 err 14.20% | val loss 0.3300
    /// top-1 11.80% top-5 0.30% | 612 img/s | 1:32</c>; the validation part is left out in a run without a validation
    /// set, and a rate drop or the end of the schedule is named.</summary>
    /// <param name="record">The epoch.</param>
    /// <param name="epochs">The run's epoch limit; left out when null.</param>
    public static string Line(EpochRecord record, int? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        string epoch = epochs is { } n ? Invariant($"epoch {record.Epoch}/{n}") : Invariant($"epoch {record.Epoch}");
        string validation = double.IsNaN(record.ValidationTop1Error)
            ? ""
            : Invariant($" | val loss {record.ValidationLoss:F4} top-1 {Percent(record.ValidationTop1Error)} top-5 {Percent(record.ValidationTop5Error)}");
        string decision = record.Decision switch
        {
            ScheduleDecision.Dropped => " | learning rate divided",
            ScheduleDecision.Stop => " | plateau after the last drop: done",
            _ => "",
        };
        return Invariant($"{epoch} lr {record.LearningRate:G4} | train loss {record.TrainLoss:F4} err {Percent(record.TrainError)}{validation}")
             + Invariant($" | {record.ImagesPerSecond:F0} img/s | {Duration(TimeSpan.FromSeconds(record.EpochSeconds))}{decision}");
    }

    private string Epoch(int epoch) => _epochs is { } n ? Invariant($"epoch {epoch}/{n}") : Invariant($"epoch {epoch}");

    private static string Percent(double fraction) => Invariant($"{100 * fraction:F2}%");

    /// <summary>m:ss, or h:mm:ss from an hour on; "--:--" for a time that cannot be estimated.</summary>
    private static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero || t.TotalDays > 99) return "--:--";
        return t.TotalHours >= 1 ? Invariant($"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}") : Invariant($"{t.Minutes}:{t.Seconds:00}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
