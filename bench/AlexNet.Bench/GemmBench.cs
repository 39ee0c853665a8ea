using AlexNet.Autograd.Cpu;

namespace AlexNet.Bench;

/// <summary>Square single-precision GEMM throughput.</summary>
internal static class GemmBench
{
    /// <summary>Prints GFLOP/s of C = A·B for each size (and the transposed variants at the largest).</summary>
    public static void Run(CpuBackend backend, int[] sizes, int repeats)
    {
        Console.WriteLine($"GEMM (row-major, {backend.Threads} threads, best of {repeats})");
        Console.WriteLine($"{"size",8} {"NN GFLOP/s",12} {"TN GFLOP/s",12} {"NT GFLOP/s",12} {"NN per CPU-s",13}");
        foreach (int s in sizes)
        {
            using var a = backend.Allocate(s * s);
            using var b = backend.Allocate(s * s);
            using var c = backend.Allocate(s * s);
            var key = AlexNet.Autograd.RandomKey.FromSeed(s);
            backend.FillUniform(a, s * s, key.Fold(0), -1f, 1f);
            backend.FillUniform(b, s * s, key.Fold(1), -1f, 1f);
            double flops = 2.0 * s * s * s;
            (double Wall, double Cpu) Rate(bool ta, bool tb)
            {
                var (wall, cpu) = Timing.Best(() => backend.Gemm(ta, tb, s, s, s, 1f, a, b, 0f, c), repeats);
                return (flops / wall / 1e6, flops / cpu / 1e6);
            }
            var nn = Rate(false, false);
            // The last column is GFLOP per CPU-second of all threads: per-core speed, immune to lost time slices.
            Console.WriteLine($"{s,8} {nn.Wall,12:F1} {Rate(true, false).Wall,12:F1} {Rate(false, true).Wall,12:F1} {nn.Cpu,13:F1}");
        }
        Console.WriteLine();
    }
}
