using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

public class MemoryPoolTests
{
    [Fact]
    public void FreedArraysAreReusedByExactLength()
    {
        using IBackend backend = new CpuBackend(1);
        var first = (CpuBuffer)backend.Allocate(100);
        var array = first.Array;
        first.Dispose();
        first.Dispose();
        Assert.Equal(0, backend.Memory.LiveBuffers);
        Assert.Equal(400, backend.Memory.PooledBytes);
        using var other = (CpuBuffer)backend.Allocate(101);
        Assert.NotSame(array, other.Array);
        using var again = (CpuBuffer)backend.Allocate(100);
        Assert.Same(array, again.Array);
        Assert.Equal(0, backend.Memory.PooledBytes);
        Assert.Throws<ObjectDisposedException>(() => first.Span.Length);
    }

    [Fact]
    public void RepeatedStepDoesNotGrowMemory()
    {
        using IBackend backend = new CpuBackend(2);
        var stats = new List<(long Live, long Peak, long Pooled)>();
        for (int step = 0; step < 5; step++)
        {
            var buffers = Enumerable.Range(1, 20).Select(i => backend.Allocate(i * 37)).ToList();
            backend.Fill(buffers[3], 4 * 37, 1f);
            foreach (var b in buffers) b.Dispose();
            var m = backend.Memory;
            stats.Add((m.LiveBuffers, m.PeakBytes, m.PooledBytes));
        }
        Assert.All(stats, s => Assert.Equal(stats[0], s));
        Assert.Equal(0, stats[0].Live);
        Assert.Equal(4L * 37 * 210, stats[0].Peak);
        backend.ResetPeak();
        Assert.Equal(0, backend.Memory.PeakBytes);
    }

    [Fact]
    public void ConcurrentAllocationKeepsCountersConsistent()
    {
        using IBackend backend = new CpuBackend(2);
        Parallel.For(0, 2000, i =>
        {
            using var b = backend.Allocate(i % 13 + 1);
        });
        Assert.Equal(0, backend.Memory.LiveBuffers);
        Assert.Equal(0, backend.Memory.LiveBytes);
    }

    [Fact]
    public void BuffersOfAnotherDeviceOrTooShortAreRejected()
    {
        using IBackend a = new CpuBackend(1);
        using var x = a.Allocate(4);
        using var y = a.Allocate(3);
        var ex = Assert.Throws<ArgumentException>(() => a.Unary(AlexNet.Autograd.Kernels.UnaryKernel.Neg, x, y, 4));
        Assert.Contains("3", ex.Message);
        Assert.Equal("cpu", a.Name);
        Assert.Same(CpuBackend.Default, CpuBackend.Default);
    }
}
