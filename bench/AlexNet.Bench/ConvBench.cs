using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Bench;

/// <summary>Forward and backward (data + filter + bias) time of each paper convolution.</summary>
internal static class ConvBench
{
    /// <summary>Prints one row per layer of the paper's network.</summary>
    public static void Run(IBackend backend, int batch, int repeats) =>
        Run(backend, $"Convolutions of the paper AlexNet, batch {batch}", PaperLayers.Convs(batch), repeats);

    /// <summary>Prints one row per layer of <paramref name="layers"/>.</summary>
    public static void Run(IBackend backend, string title, (string Name, ConvGeometry Geometry)[] layers, int repeats)
    {
        Console.WriteLine($"{title} (ms, best of {repeats})");
        Console.WriteLine($"{"layer",6} {"fwd",9} {"bwd data",9} {"bwd filt",9} {"bwd bias",9} {"bwd all",9} {"fwd GF/s",9} {"bwd GF/s",9} {"fwd cpu",9} {"data cpu",9} {"filt cpu",9}");
        double totalF = 0, totalB = 0;
        foreach (var (name, g) in layers)
        {
            var key = RandomKey.FromSeed(1);
            using var x = backend.Allocate(g.InputCount);
            using var w = backend.Allocate(g.WeightCount);
            using var bias = backend.Allocate(g.OutChannels);
            using var y = backend.Allocate(g.OutputCount);
            using var dy = backend.Allocate(g.OutputCount);
            using var dx = backend.Allocate(g.InputCount);
            using var dw = backend.Allocate(g.WeightCount);
            using var db = backend.Allocate(g.OutChannels);
            backend.FillUniform(x, g.InputCount, key.Fold(0), -1f, 1f);
            backend.FillNormal(w, g.WeightCount, key.Fold(1), 0f, 0.01f);
            backend.FillUniform(dy, g.OutputCount, key.Fold(2), -1f, 1f);
            backend.Fill(bias, g.OutChannels, 0.5f);
            var (f, fc) = Timing.Best(() => backend.Conv2dForward(x, w, bias, y, g), repeats);
            var (bd, bdc) = Timing.Best(() => backend.Conv2dBackwardData(dy, w, dx, g), repeats);
            var (bf, bfc) = Timing.Best(() => backend.Conv2dBackwardFilter(x, dy, dw, g), repeats);
            double bb = Timing.BestMilliseconds(() => backend.Conv2dBackwardBias(dy, db, g), repeats);
            double macs = (double)g.OutputCount * g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
            totalF += f;
            totalB += bd + bf + bb;
            Console.WriteLine($"{name,6} {f,9:F1} {bd,9:F1} {bf,9:F1} {bb,9:F2} {bd + bf + bb,9:F1} {2 * macs / f / 1e6,9:F1} {4 * macs / (bd + bf) / 1e6,9:F1} {fc,9:F1} {bdc,9:F1} {bfc,9:F1}");
        }
        Console.WriteLine($"{"total",6} {totalF,9:F1} {"",9} {"",9} {"",9} {totalB,9:F1}");
        Console.WriteLine();
    }
}
