using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Layers;

namespace AlexNet.Tests.Layers;

/// <summary>Small networks and inputs shared by the layer tests.</summary>
internal static class LayerTestData
{
    /// <summary>A deterministic input batch N(0, 1).</summary>
    public static Tensor Input(Network net, int batch, int seed, IBackend? backend = null) =>
        Tensor.Normal(RandomKey.FromSeed(seed), new Shape([batch, .. net.InputShape.Dims]), backend: backend);

    /// <summary>
    /// The paper's AlexNet shrunk to run in milliseconds: 3×35×35 in, 10 classes, same layers, order and tower wiring.
    /// Maps go 35 → 16 → 7 → 7 → 3 → 3 → 1.
    /// </summary>
    public static Network TinyAlexNet(int towers = 2) =>
        Presets.AlexNet(channels: 3, size: 35, classes: 10, towers: towers, conv1: 8, conv2: 12, conv3: 16, conv4: 16, conv5: 12, fc: 20,
                        conv1Kernel: 5, conv1Stride: 2, conv2Kernel: 5);

    /// <summary>Bit patterns of a tensor's values, for exact comparisons (NaN-safe).</summary>
    public static int[] Bits(Tensor t) => [.. t.ToArray().Select(BitConverter.SingleToInt32Bits)];

    /// <summary>
    /// Largest |a − b| relative to max |b|, the reference's own scale (not max(1, …), under which gradients of 1e-5
    /// pass whatever their values). Zero when both are all zeros; infinite when only <paramref name="a"/> is non-zero
    /// there, or the lengths differ.
    /// </summary>
    public static double RelativeError(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double scale = b.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
        double worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - (double)b[i]));
        if (double.IsNaN(worst)) return double.PositiveInfinity;
        return worst == 0 ? 0 : worst / scale;
    }
}
