using System.Runtime.Intrinsics.X86;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

public class PoolTests
{
    public static TheoryData<PoolGeometry> Geometries() => new()
    {
        new PoolGeometry(2, 3, 13, 13, 3, 3, 2, 2, 0, 0),
        new PoolGeometry(1, 2, 27, 27, 3, 3, 2, 2, 0, 0),
        new PoolGeometry(2, 2, 8, 9, 2, 2, 2, 2, 0, 0),
        new PoolGeometry(1, 3, 7, 6, 3, 2, 1, 2, 1, 1),
        new PoolGeometry(3, 1, 5, 5, 3, 3, 3, 3, 1, 1),
        new PoolGeometry(1, 1, 4, 4, 4, 4, 1, 1, 2, 2),
        new PoolGeometry(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
        // Overlapping 3×3 stride-2 windows: one window, widths around the 16-output runs, the paper's 55 → 27.
        new PoolGeometry(2, 1, 3, 3, 3, 3, 2, 2, 0, 0),
        new PoolGeometry(1, 2, 28, 28, 3, 3, 2, 2, 0, 0),
        new PoolGeometry(1, 1, 6, 34, 3, 3, 2, 2, 0, 0),
        new PoolGeometry(1, 1, 5, 35, 3, 3, 2, 2, 0, 0),
        new PoolGeometry(1, 2, 55, 55, 3, 3, 2, 2, 0, 0),
        new PoolGeometry(1, 1, 4, 66, 3, 3, 2, 2, 0, 0),
    };

    /// <summary>Input patterns for comparing the 3×3 stride-2 kernels with the general loops.</summary>
    public enum Pattern
    {
        /// <summary>Uniform in [−1, 1).</summary>
        Random,

        /// <summary>Small integers: windows with several maxima.</summary>
        Ties,

        /// <summary>−0, +0 and negatives: maxima that compare equal but differ in sign.</summary>
        SignedZeros,

        /// <summary>±∞ among small integers, including windows that are all −∞.</summary>
        Infinities,

        /// <summary>NaN here and there among ties.</summary>
        NaNs,
    }

    /// <summary>(planes, height, width) for 3×3 stride-2 unpadded pooling: odd and even sizes, widths around 16- and 32-output runs.</summary>
    public static TheoryData<int, int, int> OverlappingSizes() => new()
    {
        { 1, 3, 3 }, { 2, 3, 4 }, { 3, 4, 3 }, { 2, 5, 7 }, { 2, 13, 13 }, { 3, 28, 28 }, { 1, 27, 27 }, { 1, 8, 31 }, { 1, 9, 32 },
        { 1, 7, 33 }, { 1, 6, 34 }, { 1, 5, 35 }, { 2, 11, 55 }, { 1, 4, 65 }, { 1, 3, 66 }, { 1, 5, 97 }, { 2, 20, 17 },
    };

    /// <summary>The AVX-512 3×3 stride-2 kernels against the general loops, pattern by pattern (skipped, with the reason,
    /// on a CPU without AVX-512F).</summary>
    [Avx512Theory]
    [MemberData(nameof(OverlappingSizes))]
    public void OverlappingKernelsMatchTheGeneralLoopsBitForBit(int planes, int h, int w)
    {
        var g = new PoolGeometry(1, planes, h, w, 3, 3, 2, 2, 0, 0);
        Assert.Equal(PoolPath.Overlapping3x3Avx512, PoolKernels.PathFor(g, avx512: true));
        foreach (var pattern in Enum.GetValues<Pattern>())
        {
            int seed = h * 1000 + w * 10 + (int)pattern;
            var x = Inputs(pattern, g.InputCount, seed);
            var dy = Gradients(g.OutputCount, seed + 1);
            var (y, dx) = RunKernels(g, x, dy, overlapping: false);
            var (y3, dx3) = RunKernels(g, x, dy, overlapping: true);
            AssertSameBits(y, y3, $"{pattern} forward");
            AssertSameBits(dx, dx3, $"{pattern} backward");
        }
    }

    /// <summary>The dispatch, on any machine: the AVX-512 kernels take exactly the unpadded 3×3 stride-2 windows and
    /// only where AVX-512 is present; everything else, and every geometry without AVX-512, takes the general loops.</summary>
    [Fact]
    public void TheDispatchPicksTheOverlappingKernelsOnlyFor3x3Stride2WithAvx512()
    {
        var paper = new PoolGeometry(2, 8, 55, 55, 3, 3, 2, 2, 0, 0);
        Assert.Equal(PoolPath.Overlapping3x3Avx512, PoolKernels.PathFor(paper, avx512: true));
        Assert.Equal(PoolPath.General, PoolKernels.PathFor(paper, avx512: false));
        PoolGeometry[] others =
        [
            paper with { PadHeight = 1, PadWidth = 1 }, paper with { PadWidth = 1 }, paper with { StrideHeight = 1 }, paper with { StrideWidth = 3 },
            paper with { KernelHeight = 2 }, paper with { KernelWidth = 4 }, new(1, 1, 8, 8, 2, 2, 2, 2, 0, 0), new(1, 1, 7, 7, 3, 3, 1, 1, 1, 1),
        ];
        foreach (var g in others)
        {
            Assert.Equal(PoolPath.General, PoolKernels.PathFor(g, avx512: true));
            Assert.Equal(PoolPath.General, PoolKernels.PathFor(g, avx512: false));
        }
        Assert.Equal(Avx512F.IsSupported, new CpuBackend(1).PoolingAvx512);
        Assert.False(new CpuBackend(1) { PoolingAvx512 = false }.PoolingAvx512);
        if (!Avx512F.IsSupported) Assert.Throws<PlatformNotSupportedException>(() => new CpuBackend(1) { PoolingAvx512 = true });
    }

    /// <summary>The backend routes through its switch: forcing the general loops gives the same bits as its AVX-512
    /// kernels on the paper's layers (skipped, with the reason, on a CPU without AVX-512F).</summary>
    [Avx512Fact]
    public void TheBackendGivesTheSameBitsOnEitherPath()
    {
        foreach (var g in new[] { new PoolGeometry(2, 16, 55, 55, 3, 3, 2, 2, 0, 0), new PoolGeometry(3, 8, 13, 13, 3, 3, 2, 2, 0, 0) })
        {
            var x = CpuTestData.Ties(g.InputCount, 21);
            var dy = CpuTestData.Random(g.OutputCount, 22);
            (float[] Y, float[] Dx) Run(bool avx512)
            {
                using IBackend backend = new CpuBackend(2) { PoolingAvx512 = avx512 };
                using var bx = backend.Upload(x);
                using var by = backend.Allocate(g.OutputCount);
                using var bdy = backend.Upload(dy);
                using var bdx = backend.Allocate(g.InputCount);
                backend.MaxPool2dForward(bx, by, g);
                backend.MaxPool2dBackward(bx, by, bdy, bdx, g);
                return (CpuTestData.Read(backend, by, g.OutputCount), CpuTestData.Read(backend, bdx, g.InputCount));
            }
            var (y, dx) = Run(avx512: false);
            var (y512, dx512) = Run(avx512: true);
            AssertSameBits(y, y512, $"{g} forward");
            AssertSameBits(dx, dx512, $"{g} backward");
        }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        // 400 planes of 27×27 split into several work items; a second geometry takes the general loops.
        foreach (var g in new[] { new PoolGeometry(4, 100, 27, 27, 3, 3, 2, 2, 0, 0), new PoolGeometry(4, 100, 27, 27, 3, 3, 1, 1, 1, 1) })
        {
            var x = CpuTestData.Ties(g.InputCount, 11);
            var dy = CpuTestData.Random(g.OutputCount, 12);
            (float[] Y, float[] Dx) Run(int threads)
            {
                using IBackend backend = new CpuBackend(threads);
                using var bx = backend.Upload(x);
                using var by = backend.Allocate(g.OutputCount);
                using var bdy = backend.Upload(dy);
                using var bdx = backend.Allocate(g.InputCount);
                backend.MaxPool2dForward(bx, by, g);
                backend.MaxPool2dBackward(bx, by, bdy, bdx, g);
                return (CpuTestData.Read(backend, by, g.OutputCount), CpuTestData.Read(backend, bdx, g.InputCount));
            }

            var (y1, dx1) = Run(1);
            foreach (int threads in new[] { 2, 3 })
            {
                var (y, dx) = Run(threads);
                AssertSameBits(y1, y, $"{g} forward, {threads} threads");
                AssertSameBits(dx1, dx, $"{g} backward, {threads} threads");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardAndBackwardMatchNaiveLoopsWithTies(PoolGeometry g)
    {
        using IBackend backend = new CpuBackend(2);
        int seed = g.InHeight * 31 + g.KernelHeight * 7 + g.PadHeight;
        var x = CpuTestData.Ties(g.InputCount, seed);
        var dy = CpuTestData.Random(g.OutputCount, seed + 1);
        using var bx = backend.Upload(x);
        using var by = backend.Allocate(g.OutputCount);
        using var bdy = backend.Upload(dy);
        using var bdx = backend.Upload(CpuTestData.Random(g.InputCount, 5));
        backend.MaxPool2dForward(bx, by, g);
        backend.MaxPool2dBackward(bx, by, bdy, bdx, g);
        var (y, dx) = Naive(g, x, dy);
        Assert.Equal(y, CpuTestData.Read(backend, by, g.OutputCount).Select(v => (double)v).ToArray());
        CpuTestData.Close(dx, CpuTestData.Read(backend, bdx, g.InputCount));
    }

    [Fact]
    public void TiesRouteToTheFirstMaximumOnly()
    {
        using IBackend backend = new CpuBackend(1);
        var g = new PoolGeometry(1, 1, 2, 2, 2, 2, 1, 1, 0, 0);
        using var bx = backend.Upload([5f, 5f, 5f, 5f]);
        using var by = backend.Allocate(1);
        using var bdy = backend.Upload([1f]);
        using var bdx = backend.Allocate(4);
        backend.MaxPool2dForward(bx, by, g);
        backend.MaxPool2dBackward(bx, by, bdy, bdx, g);
        Assert.Equal([1f, 0f, 0f, 0f], CpuTestData.Read(backend, bdx, 4));
    }

    [Fact]
    public void PaddingNeverWinsAgainstNegativeInputs()
    {
        using IBackend backend = new CpuBackend(1);
        var g = new PoolGeometry(1, 1, 2, 2, 3, 3, 1, 1, 1, 1);
        using var bx = backend.Upload([-4f, -3f, -2f, -1f]);
        using var by = backend.Allocate(4);
        backend.MaxPool2dForward(bx, by, g);
        Assert.Equal([-1f, -1f, -1f, -1f], CpuTestData.Read(backend, by, 4));
    }

    private static float[] Inputs(Pattern pattern, int count, int seed)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = pattern switch
            {
                Pattern.Random => (float)(rng.NextDouble() * 2 - 1),
                Pattern.Ties => rng.Next(-2, 3),
                Pattern.SignedZeros => rng.Next(4) switch { 0 => -0f, 1 => 0f, _ => -rng.Next(1, 3) },
                Pattern.Infinities => rng.Next(6) switch { 0 => float.PositiveInfinity, 1 or 2 or 3 => float.NegativeInfinity, _ => rng.Next(-1, 2) },
                _ => rng.Next(8) == 0 ? float.NaN : rng.Next(-1, 2),
            };
        }
        return v;
    }

    /// <summary>Gradients with signed zeros and repeated values, so that the order of the sums shows in the last bit.</summary>
    private static float[] Gradients(int count, int seed)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++)
            v[i] = rng.Next(5) switch { 0 => -0f, 1 => 1e8f, 2 => -1e8f, _ => (float)(rng.NextDouble() * 2 - 1) };
        return v;
    }

    /// <summary>Forward then backward over every plane with the general loops or the 3×3 stride-2 kernels; outputs start as NaN.</summary>
    private static unsafe (float[] Y, float[] Dx) RunKernels(PoolGeometry g, float[] x, float[] dy, bool overlapping)
    {
        var y = new float[g.OutputCount];
        var dx = new float[g.InputCount];
        Array.Fill(y, float.NaN);
        Array.Fill(dx, float.NaN);
        int planes = g.Batch * g.Channels;
        fixed (float* px = x, py = y, pdy = dy, pdx = dx)
        {
            if (overlapping)
            {
                PoolKernels.Forward3x3Stride2(px, py, g, 0, planes);
                PoolKernels.Backward3x3Stride2(px, pdy, pdx, g, 0, planes);
            }
            else
            {
                PoolKernels.ForwardGeneral(px, py, g, 0, planes, new float[g.InWidth]);
                PoolKernels.BackwardGeneral(px, pdy, pdx, g, 0, planes);
            }
        }
        return (y, dx);
    }

    /// <summary>Equal bit patterns, except that any NaN matches any NaN.</summary>
    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(actual[i])
                : BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]);
            Assert.True(same, $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }

    private static (double[] Y, double[] Dx) Naive(PoolGeometry g, float[] x, float[] dy)
    {
        var y = new double[g.OutputCount];
        var dx = new double[g.InputCount];
        for (int p = 0; p < g.Batch * g.Channels; p++)
        for (int oy = 0; oy < g.OutHeight; oy++)
        for (int ox = 0; ox < g.OutWidth; ox++)
        {
            double best = double.NegativeInfinity;
            int arg = -1;
            for (int ki = 0; ki < g.KernelHeight; ki++)
            for (int kj = 0; kj < g.KernelWidth; kj++)
            {
                int iy = oy * g.StrideHeight - g.PadHeight + ki, ix = ox * g.StrideWidth - g.PadWidth + kj;
                if (iy < 0 || iy >= g.InHeight || ix < 0 || ix >= g.InWidth) continue;
                int i = (p * g.InHeight + iy) * g.InWidth + ix;
                if (arg < 0 || x[i] > best)
                {
                    best = x[i];
                    arg = i;
                }
            }
            int o = (p * g.OutHeight + oy) * g.OutWidth + ox;
            y[o] = best;
            if (arg >= 0) dx[arg] += dy[o];
        }
        return (y, dx);
    }
}
