using System.Runtime.Intrinsics.X86;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

public class GemmTests
{
    public static TheoryData<int, int, int> Sizes() => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 7, 1, 5 }, { 5, 9, 1 }, { 7, 33, 65 }, { 33, 65, 7 }, { 65, 130, 33 },
        { 130, 65, 131 }, { 13, 300, 17 }, { 200, 3, 257 }, { 97, 161, 290 }, { 64, 64, 64 }, { 1, 300, 300 }, { 5, 37, 2100 },
    };

    /// <summary>Every path this machine can run: the portable one always, the SIMD ones where supported.</summary>
    internal static IEnumerable<GemmPath> Paths()
    {
        yield return GemmPath.Portable;
        if (PackedGemm.Best >= GemmPath.Avx2) yield return GemmPath.Avx2;
        if (PackedGemm.Best >= GemmPath.Avx512) yield return GemmPath.Avx512;
    }

    /// <summary>The dispatch, on any machine: the widest micro-kernel the instruction sets allow.</summary>
    [Fact]
    public void TheDispatchPicksTheWidestMicroKernelTheHardwareHas()
    {
        Assert.Equal(GemmPath.Avx512, PackedGemm.PathFor(avx512: true, avx2Fma: true));
        Assert.Equal(GemmPath.Avx512, PackedGemm.PathFor(avx512: true, avx2Fma: false));
        Assert.Equal(GemmPath.Avx2, PackedGemm.PathFor(avx512: false, avx2Fma: true));
        Assert.Equal(GemmPath.Portable, PackedGemm.PathFor(avx512: false, avx2Fma: false));
        Assert.Equal(PackedGemm.PathFor(Avx512F.IsSupported, Avx2.IsSupported && Fma.IsSupported), PackedGemm.Best);
        Assert.Equal(PackedGemm.Best, new CpuBackend(1).Path);
    }

    /// <summary>Each micro-kernel by name, so that one the hardware lacks shows as skipped rather than missing from
    /// <see cref="Paths"/> unnoticed.</summary>
    [Fact]
    public void ThePortableMicroKernelMatchesNaiveLoops() => CheckEdges(GemmPath.Portable);

    /// <inheritdoc cref="ThePortableMicroKernelMatchesNaiveLoops"/>
    [Avx2Fact]
    public void TheAvx2MicroKernelMatchesNaiveLoops() => CheckEdges(GemmPath.Avx2);

    /// <inheritdoc cref="ThePortableMicroKernelMatchesNaiveLoops"/>
    [Avx512Fact]
    public void TheAvx512MicroKernelMatchesNaiveLoops() => CheckEdges(GemmPath.Avx512);

    private static void CheckEdges(GemmPath path)
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 33, 65), (65, 130, 33), (97, 161, 290) })
        {
            Check(path, false, false, m, n, k, 1f, 0f, threads: 2);
            Check(path, true, true, m, n, k, -0.75f, 0.5f, threads: 1);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesNaiveLoopsForEveryTransposeCombination(int m, int n, int k)
    {
        foreach (var path in Paths())
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    Check(path, ta, tb, m, n, k, 1f, 0f, threads: 2);
                    Check(path, ta, tb, m, n, k, -0.75f, 0.5f, threads: 2);
                    Check(path, ta, tb, m, n, k, 2f, 1f, threads: 1);
                }
            }
        }
    }

    [Fact]
    public void LargeAcrossBlockBoundaries()
    {
        foreach (var path in Paths())
        {
            Check(path, true, false, 300, 1100, 600, 1f, 0.25f, threads: 2);
            Check(path, false, true, 523, 70, 300, 1f, 0f, threads: 3);
            Check(path, false, false, 391, 600, 300, 1f, 0.5f, threads: 1);
        }
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        foreach (var path in Paths())
        {
            foreach (int k in new[] { 29, 300, 0 })
                BetaZeroIgnoresNaN(path, 37, 45, k);
        }
    }

    private static void BetaZeroIgnoresNaN(GemmPath path, int m, int n, int k)
    {
        using IBackend backend = new CpuBackend(2);
        var a = CpuTestData.Random(m * k, 1);
        var b = CpuTestData.Random(k * n, 2);
        using var ba = backend.Upload(a);
        using var bb = backend.Upload(b);
        var nan = new float[m * n];
        Array.Fill(nan, float.NaN);
        using var bc = backend.Upload(nan);
        ((CpuBackend)backend).Gemm(path, false, false, m, n, k, 1f, ba, bb, 0f, bc);
        var c = CpuTestData.Read(backend, bc, m * n);
        Assert.All(c, v => Assert.True(float.IsFinite(v)));
        var (expected, bound) = Naive(false, false, m, n, k, 1f, a, b, 0f, nan);
        CpuTestData.Close(expected, bound, c);
    }

    [Fact]
    public void KZeroScalesC()
    {
        foreach (var path in Paths())
        {
            using IBackend backend = new CpuBackend(2);
            using var ba = backend.Allocate(0);
            using var bb = backend.Allocate(0);
            using var bc = backend.Upload([1f, 2f, 3f, 4f, 5f, 6f]);
            ((CpuBackend)backend).Gemm(path, false, false, 2, 3, 0, 1f, ba, bb, 0.5f, bc);
            Assert.Equal([0.5f, 1f, 1.5f, 2f, 2.5f, 3f], CpuTestData.Read(backend, bc, 6));
        }
    }

    [Fact]
    public void ShortBufferThrowsNamingSizes()
    {
        using IBackend backend = new CpuBackend(1);
        using var a = backend.Allocate(10);
        using var b = backend.Allocate(12);
        using var c = backend.Allocate(12);
        var ex = Assert.Throws<ArgumentException>(() => backend.Gemm(false, false, 4, 3, 4, 1f, a, b, 0f, c));
        Assert.Contains("16", ex.Message);
    }

    private static void Check(GemmPath path, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int threads)
    {
        using IBackend backend = new CpuBackend(threads);
        int seed = m * 1000003 + n * 1009 + k * 7 + (ta ? 1 : 0) + (tb ? 2 : 0);
        var a = CpuTestData.Random(m * k, seed);
        var b = CpuTestData.Random(k * n, seed + 1);
        var c0 = CpuTestData.Random(m * n, seed + 2);
        using var ba = backend.Upload(a);
        using var bb = backend.Upload(b);
        using var bc = backend.Upload(c0);
        ((CpuBackend)backend).Gemm(path, ta, tb, m, n, k, alpha, ba, bb, beta, bc);
        var (expected, bound) = Naive(ta, tb, m, n, k, alpha, a, b, beta, c0);
        CpuTestData.Close(expected, bound, CpuTestData.Read(backend, bc, m * n));
    }

    internal static (double[] Value, double[] Bound) Naive(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c)
    {
        var value = new double[m * n];
        var bound = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = ta ? a[p * m + i] : a[i * k + p];
                    double bv = tb ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                    abs += Math.Abs(av * bv);
                }
                double old = beta == 0f ? 0 : (double)beta * c[i * n + j];
                value[i * n + j] = alpha * s + old;
                bound[i * n + j] = Math.Abs(alpha) * abs + Math.Abs(old);
            }
        }
        return (value, bound);
    }
}
