using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Bench;

/// <summary>Square single-precision GEMM throughput.</summary>
internal static class GemmBench
{
    /// <summary>Prints GFLOP/s of C = A·B for each size (and the transposed variants at the largest).</summary>
    public static void Run(CpuBackend cpuBackend, int[] sizes, int repeats)
    {
        IBackend backend = cpuBackend;
        Console.WriteLine($"GEMM (row-major, {cpuBackend.Threads} threads, best of {repeats})");
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

    /// <summary>
    /// The fully connected layers as a Linear layer runs them: y = x·Wᵀ (NT), dx = dy·W (NN), dW = dyᵀ·x (TN).
    /// </summary>
    public static void RunDense(IBackend backend, int batch, int repeats)
    {
        Console.WriteLine($"Dense layers of the paper AlexNet, batch {batch} (GFLOP/s, best of {repeats})");
        Console.WriteLine($"{"layer",6} {"in",6} {"out",6} {"fwd NT",9} {"dx NN",9} {"dW TN",9}");
        foreach (var (name, inputs, outputs) in new[] { ("fc6", 9216, 4096), ("fc7", 4096, 4096), ("fc8", 4096, 1000) })
        {
            using var x = backend.Allocate(batch * inputs);
            using var w = backend.Allocate(outputs * inputs);
            using var y = backend.Allocate(batch * outputs);
            using var dx = backend.Allocate(batch * inputs);
            var key = AlexNet.Autograd.RandomKey.FromSeed(inputs);
            backend.FillUniform(x, batch * inputs, key.Fold(0), -1f, 1f);
            backend.FillNormal(w, outputs * inputs, key.Fold(1), 0f, 0.01f);
            backend.FillUniform(y, batch * outputs, key.Fold(2), -1f, 1f);
            double flops = 2.0 * batch * inputs * outputs;
            double Rate(Action gemm) => flops / Timing.BestMilliseconds(gemm, repeats) / 1e6;
            double forward = Rate(() => backend.Gemm(false, true, batch, outputs, inputs, 1f, x, w, 0f, y));
            double data = Rate(() => backend.Gemm(false, false, batch, inputs, outputs, 1f, y, w, 0f, dx));
            double weights = Rate(() => backend.Gemm(true, false, outputs, inputs, batch, 1f, y, x, 0f, w));
            Console.WriteLine($"{name,6} {inputs,6} {outputs,6} {forward,9:F1} {data,9:F1} {weights,9:F1}");
        }
        Console.WriteLine();
    }
}
