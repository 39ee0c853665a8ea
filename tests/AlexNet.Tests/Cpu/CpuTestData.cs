using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

/// <summary>Seeded inputs and tolerant comparisons shared by the CPU kernel tests.</summary>
internal static class CpuTestData
{
    public static float[] Random(int count, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>Small integers, so that pooling windows contain ties.</summary>
    public static float[] Ties(int count, int seed)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = rng.Next(-3, 4);
        return v;
    }

    public static float[] Read(IBackend backend, DeviceBuffer buffer, int count)
    {
        var v = new float[count];
        backend.Download(buffer, v);
        return v;
    }

    /// <summary>|actual − expected| ≤ rel·bound + abs per element, where bound is Σ|terms| of the reference sum.</summary>
    public static void Close(double[] expected, double[] bound, float[] actual, double rel = 1e-5, double abs = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            Assert.True(err <= rel * bound[i] + abs, $"element {i}: expected {expected[i]}, got {actual[i]} (error {err})");
        }
    }

    /// <summary>Relative comparison for results that are not long sums.</summary>
    public static void Close(double[] expected, float[] actual, double rel = 1e-5, double abs = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            Assert.True(err <= rel * Math.Abs(expected[i]) + abs, $"element {i}: expected {expected[i]}, got {actual[i]} (error {err})");
        }
    }
}
