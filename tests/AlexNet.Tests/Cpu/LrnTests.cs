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
        new LrnGeometry(1, 9, 4, 4, 4, 0.02f, 0.75f, 1.5f),
        new LrnGeometry(2, 1, 6, 6, 5, 0.2f, 0.75f, 2f),
        new LrnGeometry(2, 12, 17, 19, 5, 0.3f, 0.75f, 2f),
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardAndBackwardMatchTheFormulas(LrnGeometry g)
    {
        using var backend = new CpuBackend(2);
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

    private static (double[] Y, double[] Dx) Naive(LrnGeometry g, float[] xf, float[] dy)
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
