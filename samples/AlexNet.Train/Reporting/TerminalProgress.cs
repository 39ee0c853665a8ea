using AlexNet.Facade;
using ShellProgressBar;

namespace AlexNet.Train.Reporting;

/// <summary>Progress bars for an interactive terminal (ShellProgressBar): one bar per epoch with loss, accuracy,
/// images/s and time left, replaced by the epoch's summary line when it ends.</summary>
internal sealed class TerminalProgress(int epochs, Func<TimeSpan?> runRemaining, TextWriter output) : ITrainingObserver, IDisposable
{
    /// <summary>The look of every bar the CLI draws.</summary>
    internal static ProgressBarOptions BarOptions { get; } = new()
    {
        ProgressCharacter = '─',
        CollapseWhenFinished = true,
        DisplayTimeInRealTime = false,
        ForegroundColor = ConsoleColor.Cyan,
        ForegroundColorDone = ConsoleColor.DarkGreen,
        BackgroundColor = ConsoleColor.DarkGray,
    };

    /// <summary>True when bars can be drawn: stdout is a terminal, <c>CI</c> is not set, and the process was not started
    /// by mpirun (whose pseudo-terminal has no width). Otherwise the CLI prints plain lines.</summary>
    internal static bool Available =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is not { Length: > 0 } && !AlexNet.Distributed.MpiLaunch.IsLaunched;

    /// <summary>True when bars can be drawn for <paramref name="output"/>: it is the console's standard output and
    /// <see cref="Available"/> holds (a caller's own writer gets plain lines).</summary>
    internal static bool AvailableFor(TextWriter output) => Available && ReferenceEquals(output, Console.Out);

    private ProgressBar? _bar;
    private int _batches;

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int batches, float learningRate)
    {
        _bar?.Dispose();
        _batches = batches;
        _bar = new ProgressBar(batches, $"epoch {epoch}/{epochs} lr {Format.General(learningRate)}", BarOptions);
    }

    /// <inheritdoc/>
    public void BatchCompleted(BatchProgress p)
    {
        var run = runRemaining();
        string left = $"epoch left {Format.Duration(p.EpochRemaining)}" + (run is { } r ? $", run ≤ {Format.Duration(r)}" : "");
        _bar?.Tick(p.Batch, $"epoch {p.Epoch}/{epochs} lr {Format.General(p.LearningRate)} | loss {Format.Number(p.Loss)} acc {Format.Percent(p.Accuracy)} | {p.ImagesPerSecond:F0} img/s | {left}");
    }

    /// <inheritdoc/>
    public void ValidationProgress(int done, int total)
    {
        if (_bar is null) return;
        _bar.MaxTicks = _batches + total;
        _bar.Tick(_batches + done, $"validating {done}/{total}");
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochRecord record, TrainingState state)
    {
        _bar?.Dispose();
        _bar = null;
        output.WriteLine(EpochLine.Of(record, epochs));
    }

    /// <summary>Removes the bar in progress.</summary>
    public void Dispose()
    {
        _bar?.Dispose();
        _bar = null;
    }
}
