using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

public class LrnTests
{
    public static TheoryData<LrnGeometry> Geometries() => new()
    {
        new LrnGeometry(2, 7, 3, 4, 5, 1e-4f, 0.75f, 2f),
        new LrnGeometry(1, 3, 5, 5, 5, 0.1f, 0.75f, 2f),
        new LrnGeometry(3, 8, 2, 3, 3, 0.05f, 0.6f, 1f),
        new LrnGeometry(1, 9, 4, 4, 7, 0.02f, 0.75f, 1.5f),
        new LrnGeometry(2, 1, 6, 6, 5, 0.2f, 0.75f, 2f),
        new LrnGeometry(2, 12, 17, 19, 5, 0.3f, 0.75f, 2f),
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardAndBackwardMatchTheFormulas(LrnGeometry g)
    {
        using IBackend backend = new CpuBackend(2);
        var x = CpuTestData.Random(g.Count, g.Channels * 13 + g.Height, 3f);
        var dy = CpuTestData.Random(g.Count, g.Channels * 17 + g.Width);
        using var bx = backend.Upload(x);
        using var by = backend.Allocate(g.Count);
        using var bdy = backend.Upload(dy);
        using var bdx = backend.Allocate(g.Count);
        backend.LrnForward(bx, by, g);
        var yf = CpuTestData.Read(backend, by, g.Count);
        backend.LrnBackward(bx, by, bdy, bdx, g);
        var (y, dx) = Naive(g, x, dy);
        CpuTestData.Close(y, yf, 2e-5, 1e-6);
        CpuTestData.Close(dx, CpuTestData.Read(backend, bdx, g.Count), 1e-4, 1e-5);
    }

    /// <summary>Every vector width the kernels are instantiated for (each runs on any hardware, natively or emulated).</summary>
    internal static readonly LaneWidth[] Widths = [LaneWidth.V128, LaneWidth.V256, LaneWidth.V512];

    /// <summary>
    /// Shapes at the kernels' edges: channels fewer than the window, channel counts that are multiples of nothing, planes
    /// smaller than a vector, planes of exactly one vector and of one vector plus one, planes with a partial last strip
    /// at every width, and a single image.
    /// </summary>
    /// <remarks>The width travels as its float count (xUnit test parameters must be public types).</remarks>
    public static TheoryData<LrnGeometry, int> EdgeShapes()
    {
        LrnGeometry[] shapes =
        [
            new(1, 1, 1, 1, 5, 0.3f, 0.75f, 2f),
            new(2, 2, 1, 3, 5, 0.3f, 0.75f, 2f),
            new(1, 3, 2, 2, 7, 0.5f, 0.6f, 1f),
            new(3, 4, 4, 4, 9, 0.2f, 0.75f, 0.5f),
            new(1, 13, 4, 5, 5, 0.1f, 0.75f, 2f),
            new(2, 11, 1, 17, 3, 0.4f, 1f, 1f),
            new(1, 7, 13, 13, 5, 0.3f, 0.75f, 2f),
            new(2, 5, 3, 7, 1, 0.7f, 0.75f, 1f),
            new(1, 6, 5, 5, 3, 0.05f, 0.5f, 2f),
            new(2, 16, 7, 9, 5, 1e-4f, 0.75f, 2f),
        ];
        var data = new TheoryData<LrnGeometry, int>();
        foreach (var g in shapes)
        foreach (var width in Widths)
            data.Add(g, SimdLanes.CountOf(width));
        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeShapes))]
    public void EveryWidthMatchesTheFormulasOnEdgeShapes(LrnGeometry g, int lanes)
    {
        var width = Widths.Single(w => SimdLanes.CountOf(w) == lanes);
        using IBackend backend = new CpuBackend(2);
        var x = CpuTestData.Random(g.Count, g.Channels * 31 + g.Width, 3f);
        var dy = CpuTestData.Random(g.Count, g.Channels * 37 + g.Height);
        var (yf, dxf) = Run(backend, g, width, x, dy);
        var (y, dx) = Naive(g, x, dy);
        CpuTestData.Close(y, yf, 2e-5, 1e-6);
        CpuTestData.Close(dx, dxf, 1e-4, 1e-5);
    }

    /// <summary>
    /// The parallel split only changes which thread computes which position, so every thread count gives the same bits;
    /// at β = 0.75 (IEEE division and square roots only) so does every vector width.
    /// </summary>
    [Theory]
    [InlineData(0.75f)]
    [InlineData(0.6f)]
    public void ResultsDoNotDependOnTheThreadCount(float beta)
    {
        // 5 × 23 = 115 positions per image leave a partial last strip at every width; 40 images are enough work to be
        // split between up to four threads at every width.
        var g = new LrnGeometry(40, 10, 5, 23, 5, 0.2f, beta, 2f);
        var x = CpuTestData.Random(g.Count, 5, 2f);
        var dy = CpuTestData.Random(g.Count, 6);
        using IBackend one = new CpuBackend(1);
        var (y0, dx0) = Run(one, g, LaneWidth.V128, x, dy);
        foreach (var width in Widths)
        {
            var (y1, dx1) = Run(one, g, width, x, dy);
            if (beta == 0.75f)
            {
                Assert.Equal(y0, y1);
                Assert.Equal(dx0, dx1);
            }
            foreach (int threads in new[] { 2, 3, 4 })
            {
                using IBackend backend = new CpuBackend(threads);
                var (y, dx) = Run(backend, g, width, x, dy);
                Assert.Equal(y1, y);
                Assert.Equal(dx1, dx);
            }
        }
    }

    /// <summary>An empty batch computes nothing at every width.</summary>
    [Fact]
    public void AnEmptyBatchIsANoOp()
    {
        var g = new LrnGeometry(0, 3, 4, 4, 5, 1e-4f, 0.75f, 2f);
        using IBackend backend = new CpuBackend(2);
        using var x = backend.Allocate(1);
        using var y = backend.Upload([42f]);
        using var dx = backend.Upload([42f]);
        foreach (var lanes in Widths)
        {
            ((CpuBackend)backend).LrnForward(x, y, g, lanes);
            ((CpuBackend)backend).LrnBackward(x, y, x, dx, g, lanes);
        }
        Assert.Equal(42f, CpuTestData.Read(backend, y, 1)[0]);
        Assert.Equal(42f, CpuTestData.Read(backend, dx, 1)[0]);
    }

    /// <summary>Forward then backward (with forward's y) at one width.</summary>
    internal static (float[] Y, float[] Dx) Run(IBackend backend, LrnGeometry g, LaneWidth width, float[] x, float[] dy)
    {
        using var bx = backend.Upload(x);
        using var by = backend.Allocate(g.Count);
        using var bdy = backend.Upload(dy);
        using var bdx = backend.Allocate(g.Count);
        ((CpuBackend)backend).LrnForward(bx, by, g, width);
        ((CpuBackend)backend).LrnBackward(bx, by, bdy, bdx, g, width);
        return (CpuTestData.Read(backend, by, g.Count), CpuTestData.Read(backend, bdx, g.Count));
    }

    [Fact]
    public void BackwardMatchesFiniteDifferencesOfTheNaiveForward()
    {
        var g = new LrnGeometry(1, 6, 2, 2, 5, 0.3f, 0.75f, 2f);
        var x = CpuTestData.Random(g.Count, 3, 2f);
        var dy = CpuTestData.Random(g.Count, 4);
        var (_, dx) = Naive(g, x, dy);
        for (int i = 0; i < g.Count; i++)
        {
            const double h = 1e-3;
            var xp = x.Select(v => (double)v).ToArray();
            var xm = (double[])xp.Clone();
            xp[i] += h;
            xm[i] -= h;
            double lp = Dot(Forward(g, xp), dy), lm = Dot(Forward(g, xm), dy);
            Assert.True(Math.Abs((lp - lm) / (2 * h) - dx[i]) < 1e-5, $"element {i}");
        }
    }

    private static double Dot(double[] a, float[] b) => a.Select((v, i) => v * b[i]).Sum();

    private static double[] Scale(LrnGeometry g, double[] x)
    {
        int plane = g.Height * g.Width;
        var s = new double[g.Count];
        for (int n = 0; n < g.Batch; n++)
        for (int c = 0; c < g.Channels; c++)
        for (int i = 0; i < plane; i++)
        {
            double sum = 0;
            for (int j = Math.Max(0, c - g.Size / 2); j <= Math.Min(g.Channels - 1, c + g.Size / 2); j++)
                sum += x[(n * g.Channels + j) * plane + i] * x[(n * g.Channels + j) * plane + i];
            s[(n * g.Channels + c) * plane + i] = g.K + (double)g.Alpha * sum;
        }
        return s;
    }

    private static double[] Forward(LrnGeometry g, double[] x)
    {
        var s = Scale(g, x);
        return x.Select((v, i) => v * Math.Pow(s[i], -g.Beta)).ToArray();
    }

    /// <summary>y and dx by the formulas, in float64.</summary>
    internal static (double[] Y, double[] Dx) Naive(LrnGeometry g, float[] xf, float[] dy)
    {
        var x = xf.Select(v => (double)v).ToArray();
        var s = Scale(g, x);
        var y = Forward(g, x);
        int plane = g.Height * g.Width;
        var dx = new double[g.Count];
        for (int n = 0; n < g.Batch; n++)
        for (int c = 0; c < g.Channels; c++)
        for (int i = 0; i < plane; i++)
        {
            int at = (n * g.Channels + c) * plane + i;
            double sum = 0;
            for (int j = Math.Max(0, c - g.Size / 2); j <= Math.Min(g.Channels - 1, c + g.Size / 2); j++)
            {
                int bj = (n * g.Channels + j) * plane + i;
                sum += dy[bj] * y[bj] / s[bj];
            }
            dx[at] = dy[at] * Math.Pow(s[at], -g.Beta) - 2 * (double)g.Alpha * g.Beta * x[at] * sum;
        }
        return (y, dx);
    }
}
