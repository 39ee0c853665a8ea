using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

public class ElementwiseTests
{
    [Theory]
    [InlineData(17)]
    [InlineData(100_003)]
    public void UnaryAffineAndReluBackward(int count)
    {
        using IBackend backend = new CpuBackend(2);
        var x = CpuTestData.Random(count, 1, 4f);
        x[0] = 0f;
        var dy = CpuTestData.Random(count, 2);
        using var bx = backend.Upload(x);
        using var bdy = backend.Upload(dy);
        using var by = backend.Allocate(count);
        backend.Unary(UnaryKernel.Neg, bx, by, count);
        CpuTestData.Close(x.Select(v => -(double)v).ToArray(), CpuTestData.Read(backend, by, count), 0, 0);
        backend.Unary(UnaryKernel.Relu, bx, by, count);
        CpuTestData.Close(x.Select(v => Math.Max((double)v, 0)).ToArray(), CpuTestData.Read(backend, by, count), 0, 0);
        backend.Unary(UnaryKernel.Exp, bx, by, count);
        CpuTestData.Close(x.Select(v => Math.Exp(v)).ToArray(), CpuTestData.Read(backend, by, count), 1e-6, 0);
        backend.Unary(UnaryKernel.Log, by, by, count);
        CpuTestData.Close(x.Select(v => (double)v).ToArray(), CpuTestData.Read(backend, by, count), 1e-5, 1e-6);
        backend.Affine(bx, by, count, 2.5f, -1f);
        CpuTestData.Close(x.Select(v => 2.5 * v - 1).ToArray(), CpuTestData.Read(backend, by, count), 1e-6, 1e-6);
        backend.ReluBackward(bx, bdy, by, count);
        var relu = CpuTestData.Read(backend, by, count);
        Assert.Equal(0f, relu[0]);
        for (int i = 0; i < count; i++) Assert.Equal(x[i] > 0 ? dy[i] : 0f, relu[i]);
    }

    [Fact]
    public void RandomFillsFollowTheKeyExactly()
    {
        using IBackend backend = new CpuBackend(2);
        var key = RandomKey.FromSeed(42);
        const int count = 50_001;
        using var b = backend.Allocate(count);
        backend.FillUniform(b, count, key, -2f, 3f);
        var u = CpuTestData.Read(backend, b, count);
        for (int i = 0; i < count; i++) Assert.Equal(-2f + 5f * key.Uniform(i), u[i]);
        backend.FillNormal(b, count, key, 1f, 0.01f);
        var n = CpuTestData.Read(backend, b, count);
        for (int i = 0; i < count; i++) Assert.Equal(1f + 0.01f * key.Normal(i), n[i]);
    }

    [Fact]
    public void DropoutMaskFollowsTheKey()
    {
        using IBackend backend = new CpuBackend(2);
        var key = RandomKey.FromSeed(7);
        const int count = 40_000;
        var x = CpuTestData.Random(count, 3);
        using var bx = backend.Upload(x);
        using var by = backend.Allocate(count);
        using var bm = backend.Allocate(count);
        backend.DropoutForward(bx, by, bm, count, 0.5f, key);
        var y = CpuTestData.Read(backend, by, count);
        var m = CpuTestData.Read(backend, bm, count);
        for (int i = 0; i < count; i++)
        {
            float expected = key.Uniform(i) >= 0.5f ? 2f : 0f;
            Assert.Equal(expected, m[i]);
            Assert.Equal(x[i] * expected, y[i]);
        }
    }

    [Fact]
    public void SgdMomentumMatchesThePaper()
    {
        using IBackend backend = new CpuBackend(2);
        const int count = 1003;
        var w = CpuTestData.Random(count, 1);
        var g = CpuTestData.Random(count, 2);
        var v = CpuTestData.Random(count, 3);
        using var bw = backend.Upload(w);
        using var bg = backend.Upload(g);
        using var bv = backend.Upload(v);
        backend.SgdMomentumUpdate(bw, bg, bv, count, 0.01f, 0.9f, 0.0005f);
        var v2 = v.Select((vi, i) => 0.9 * vi - 0.0005 * 0.01 * w[i] - 0.01 * g[i]).ToArray();
        CpuTestData.Close(v2, CpuTestData.Read(backend, bv, count), 1e-5, 1e-7);
        CpuTestData.Close(w.Select((wi, i) => wi + v2[i]).ToArray(), CpuTestData.Read(backend, bw, count), 1e-5, 1e-7);
    }

    [Fact]
    public void FillAndCopy()
    {
        using IBackend backend = new CpuBackend(2);
        using var a = backend.Upload([1f, 2f, 3f, 4f]);
        using var b = backend.Allocate(4);
        backend.Fill(b, 4, 7f);
        backend.Copy(a, b, 2);
        Assert.Equal([1f, 2f, 7f, 7f], CpuTestData.Read(backend, b, 4));
        Assert.Throws<ArgumentException>(() => backend.Copy(a, b, 5));
    }
}
