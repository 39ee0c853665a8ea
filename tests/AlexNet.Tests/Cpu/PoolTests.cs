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
        new PoolGeometry(1, 1, 4, 4, 4, 4, 1, 1, 3, 3),
        new PoolGeometry(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardAndBackwardMatchNaiveLoopsWithTies(PoolGeometry g)
    {
        using var backend = new CpuBackend(2);
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
        using var backend = new CpuBackend(1);
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
        using var backend = new CpuBackend(1);
        var g = new PoolGeometry(1, 1, 2, 2, 3, 3, 1, 1, 1, 1);
        using var bx = backend.Upload([-4f, -3f, -2f, -1f]);
        using var by = backend.Allocate(4);
        backend.MaxPool2dForward(bx, by, g);
        Assert.Equal([-1f, -1f, -1f, -1f], CpuTestData.Read(backend, by, 4));
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
