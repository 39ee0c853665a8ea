using System.Diagnostics;
using ShellProgressBar;

namespace AlexNet.Train.Reporting;

/// <summary>Progress of <c>alexnet prepare</c> for one split: a ShellProgressBar bar on a terminal; when stdout is
/// redirected or <c>CI</c> is set, a plain line every few seconds.</summary>
internal sealed class PrepareProgress : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5);
    private readonly string _split;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ProgressBar? _bar;
    private readonly TextWriter _output;
    private TimeSpan _lastLine;

    /// <summary>Starts reporting a split of <paramref name="total"/> files.</summary>
    public PrepareProgress(string split, int total, TextWriter output)
    {
        _split = split;
        _output = output;
        if (TerminalProgress.AvailableFor(output)) _bar = new ProgressBar(total, $"{split}: decoding {total:N0} images", TerminalProgress.BarOptions);
    }

    /// <summary>Reports <paramref name="done"/> of <paramref name="total"/> files handled.</summary>
    public void Report(int done, int total)
    {
        double rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        string left = rate > 0 ? Format.Duration(TimeSpan.FromSeconds((total - done) / rate)) : "?";
        string status = $"{_split}: {done:N0}/{total:N0} images | {rate:N0} images/s | left {left}";
        if (_bar is not null)
        {
            _bar.Tick(done, status);
            return;
        }
        if (_clock.Elapsed - _lastLine < s_interval && done < total) return;
        _lastLine = _clock.Elapsed;
        _output.WriteLine($"  {status}");
    }

    /// <summary>Removes the bar.</summary>
    public void Dispose() => _bar?.Dispose();
}
