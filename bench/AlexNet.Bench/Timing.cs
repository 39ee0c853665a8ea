using System.Diagnostics;

namespace AlexNet.Bench;

/// <summary>Best-of-N wall-clock timing: the machine is shared, so the minimum is the least noisy estimate.</summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> once to warm up, then <paramref name="repeats"/> times; returns the best milliseconds.</summary>
    public static double BestMilliseconds(Action action, int repeats)
    {
        action();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return best;
    }
}
