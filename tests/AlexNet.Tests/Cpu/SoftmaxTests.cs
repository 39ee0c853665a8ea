using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

public class SoftmaxTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SoftmaxForwardAndBackward(bool log)
    {
        using IBackend backend = new CpuBackend(2);
        int rows = 5, cols = 11;
        var x = CpuTestData.Random(rows * cols, 1, 5f);
        x[3] = 1e4f;
        x[cols + 2] = -1e4f;
        var dy = CpuTestData.Random(rows * cols, 2);
        using var bx = backend.Upload(x);
        using var by = backend.Allocate(rows * cols);
        using var bdy = backend.Upload(dy);
        using var bdx = backend.Allocate(rows * cols);
        backend.Softmax(bx, by, rows, cols, log);
        var y = CpuTestData.Read(backend, by, rows * cols);
        backend.SoftmaxBackward(by, bdy, bdx, rows, cols, log);
        var (p, lp) = Reference(x, rows, cols);
        CpuTestData.Close(log ? lp : p, y, 1e-5, 1e-6);
        var dx = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double dot = 0, sum = 0;
            for (int c = 0; c < cols; c++)
            {
                dot += dy[r * cols + c] * p[r * cols + c];
                sum += dy[r * cols + c];
            }
            for (int c = 0; c < cols; c++)
            {
                int i = r * cols + c;
                dx[i] = log ? dy[i] - p[i] * sum : p[i] * (dy[i] - dot);
            }
        }
        CpuTestData.Close(dx, CpuTestData.Read(backend, bdx, rows * cols), 1e-4, 1e-5);
    }

    [Fact]
    public void CrossEntropyIsStableForHugeLogits()
    {
        using IBackend backend = new CpuBackend(2);
        int rows = 4, cols = 6;
        var x = CpuTestData.Random(rows * cols, 3, 2f);
        x[0] = 1e4f;
        x[cols + 1] = -1e4f;
        x[2 * cols + 5] = 1e4f;
        x[2 * cols + 4] = 1e4f;
        float[] labels = [1f, 1f, 5f, 0f];
        float[] dloss = [1f, 0.5f, 2f, -1f];
        using var bx = backend.Upload(x);
        using var bl = backend.Upload(labels);
        using var bloss = backend.Allocate(rows);
        using var bp = backend.Allocate(rows * cols);
        using var bg = backend.Upload(dloss);
        using var bdx = backend.Allocate(rows * cols);
        backend.SoftmaxCrossEntropyForward(bx, bl, bloss, bp, rows, cols);
        backend.SoftmaxCrossEntropyBackward(bp, bl, bg, bdx, rows, cols);
        var (p, lp) = Reference(x, rows, cols);
        var loss = CpuTestData.Read(backend, bloss, rows);
        Assert.All(loss, v => Assert.True(float.IsFinite(v)));
        CpuTestData.Close(Enumerable.Range(0, rows).Select(r => -lp[r * cols + (int)labels[r]]).ToArray(), loss, 1e-5, 1e-5);
        CpuTestData.Close(p, CpuTestData.Read(backend, bp, rows * cols), 1e-5, 1e-7);
        var dx = new double[rows * cols];
        for (int i = 0; i < dx.Length; i++) dx[i] = dloss[i / cols] * (p[i] - (i % cols == (int)labels[i / cols] ? 1 : 0));
        CpuTestData.Close(dx, CpuTestData.Read(backend, bdx, rows * cols), 1e-5, 1e-7);

        using var bad = backend.Upload([1f, 1f, 6f, 0f]);
        Assert.Throws<ArgumentException>(() => backend.SoftmaxCrossEntropyForward(bx, bad, bloss, bp, rows, cols));
    }

    private static (double[] P, double[] LogP) Reference(float[] x, int rows, int cols)
    {
        var p = new double[x.Length];
        var lp = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[r * cols + c]);
            for (int c = 0; c < cols; c++) sum += Math.Exp(x[r * cols + c] - max);
            for (int c = 0; c < cols; c++)
            {
                lp[r * cols + c] = x[r * cols + c] - max - Math.Log(sum);
                p[r * cols + c] = Math.Exp(lp[r * cols + c]);
            }
        }
        return (p, lp);
    }
}
