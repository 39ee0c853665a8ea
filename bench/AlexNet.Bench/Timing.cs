using System.Diagnostics;

namespace AlexNet.Bench;

/// <summary>
/// Best-of-N timing. The machine is shared, so the minimum wall time is the least noisy estimate; the process CPU time
/// of the same run is kept too, since time slices lost to other processes do not count in it.
/// </summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> once to warm up, then <paramref name="repeats"/> times; returns the best milliseconds.</summary>
    public static double BestMilliseconds(Action action, int repeats) => Best(action, repeats).WallMs;

    /// <summary>
    /// Runs <paramref name="action"/> once to warm up, then <paramref name="repeats"/> times back to back; returns the mean
    /// milliseconds, as the peer measures its whole-network steps.
    /// </summary>
    public static double MeanMilliseconds(Action action, int repeats)
    {
        action();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < repeats; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / repeats;
    }

    /// <summary>Best wall milliseconds and the least CPU milliseconds (all threads) over the repeats.</summary>
    public static (double WallMs, double CpuMs) Best(Action action, int repeats)
    {
        action();
        double wall = double.MaxValue, cpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeats; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            wall = Math.Min(wall, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            process.Refresh();
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpu0).TotalMilliseconds);
        }
        return (wall, cpu);
    }
}
