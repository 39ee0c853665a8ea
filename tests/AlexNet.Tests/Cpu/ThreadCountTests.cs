using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

/// <summary>
/// GEMM and convolution give the same bits whatever the thread count, on every micro-kernel this machine has: the work
/// is split over output blocks, never over a sum, so each output element is summed by one thread in one order.
/// </summary>
public sealed class ThreadCountTests
{
    private static readonly int[] ThreadCounts = [1, 2, 3, 4];

    public static TheoryData<int, int, int> GemmSizes() => new()
    {
        { 1, 1, 1 }, { 7, 33, 65 }, { 65, 130, 33 }, { 97, 161, 290 }, { 300, 1100, 600 }, { 5, 37, 2100 }, { 523, 70, 300 },
    };

    [Theory]
    [MemberData(nameof(GemmSizes))]
    public void GemmGivesTheSameBitsForEveryThreadCount(int m, int n, int k)
    {
        var a = CpuTestData.Random(m * k, m + n);
        var b = CpuTestData.Random(k * n, n + k);
        var c0 = CpuTestData.Random(m * n, m + k);
        foreach (var path in GemmTests.Paths())
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    float[] Run(int threads)
                    {
                        using IBackend backend = new CpuBackend(threads);
                        using var ba = backend.Upload(a);
                        using var bb = backend.Upload(b);
                        using var bc = backend.Upload(c0);
                        ((CpuBackend)backend).Gemm(path, ta, tb, m, n, k, 0.75f, ba, bb, 0.5f, bc);
                        return CpuTestData.Read(backend, bc, m * n);
                    }
                    var one = Run(1);
                    foreach (int threads in ThreadCounts[1..])
                        AssertSameBits(one, Run(threads), $"{path} {(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×{n}×{k} with {threads} threads");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ConvTests.Geometries), MemberType = typeof(ConvTests))]
    public void ConvolutionGivesTheSameBitsForEveryThreadCount(ConvGeometry g)
    {
        var (x, w, bias, dy) = ConvTests.Inputs(g);
        foreach (var path in GemmTests.Paths())
        {
            float[][] Run(int threads)
            {
                using IBackend backend = new CpuBackend(threads) { Path = path };
                var (y, dx, dw, db) = ConvTests.RunAll(backend, g, x, w, bias, dy);
                return [y, dx, dw, db];
            }
            var one = Run(1);
            string[] names = ["forward", "data gradient", "filter gradient", "bias gradient"];
            foreach (int threads in ThreadCounts[1..])
            {
                var other = Run(threads);
                for (int i = 0; i < names.Length; i++) AssertSameBits(one[i], other[i], $"{g} {path} {names[i]} with {threads} threads");
            }
        }
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i} is {actual[i]:R}, with one thread {expected[i]:R}");
        }
    }
}
