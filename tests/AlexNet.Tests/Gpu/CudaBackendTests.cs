using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu;
using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>Behaviour of the CUDA backend beyond numerical equivalence: naming, counters, errors.</summary>
public sealed class CudaBackendTests(CudaFixture fixture) : IClassFixture<CudaFixture>
{
    [GpuFact]
    public void NameAndDeviceInfo()
    {
        Assert.Equal("cuda:0", fixture.Cuda.Name);
        Assert.False(string.IsNullOrWhiteSpace(fixture.Cuda.Device.Name));
        Assert.True(fixture.Cuda.Device.TotalMemoryBytes > 0);
    }

    [GpuFact]
    public void UploadDownloadRoundTripsAndCountersReturnToBaseline()
    {
        IBackend cuda = fixture.Cuda;
        long before = cuda.Memory.LiveBuffers;
        var data = Enumerable.Range(0, 1000).Select(i => i * 0.5f).ToArray();
        var result = new float[1000];
        using (var b = cuda.Upload(data))
        {
            Assert.Equal(before + 1, cuda.Memory.LiveBuffers);
            Assert.True(cuda.Memory.PeakBytes >= 4000);
            cuda.Download(b, result);
        }
        Assert.Equal(data, result);
        Assert.Equal(before, cuda.Memory.LiveBuffers);
        Assert.True(cuda.Memory.PooledBytes > 0);
    }

    [GpuFact]
    public void EmptyBuffersAreAllowed()
    {
        using var b = ((IBackend)fixture.Cuda).Allocate(0);
        ((IBackend)fixture.Cuda).Download(b, Span<float>.Empty);
        ((IBackend)fixture.Cuda).Fill(b, 0, 1f);
    }

    [GpuFact]
    public void ABufferOfAnotherBackendIsRejected()
    {
        using var cpuBuffer = ((IBackend)fixture.Cpu).Upload([1f, 2f]);
        using var gpuBuffer = ((IBackend)fixture.Cuda).Allocate(2);
        var e = Assert.Throws<ArgumentException>(() => ((IBackend)fixture.Cuda).Copy(cpuBuffer, gpuBuffer, 2));
        Assert.Contains("cpu", e.Message);
    }

    [GpuFact]
    public void ATooShortBufferIsRejected()
    {
        using var small = ((IBackend)fixture.Cuda).Allocate(3);
        using var big = ((IBackend)fixture.Cuda).Allocate(10);
        Assert.Throws<ArgumentException>(() => ((IBackend)fixture.Cuda).Copy(small, big, 10));
    }

    [GpuFact]
    public void ExhaustingDeviceMemoryThrowsOutOfMemory()
    {
        var cuda = fixture.Cuda;
        var held = new List<DeviceBuffer>();
        try
        {
            var e = Assert.Throws<GpuOutOfMemoryException>(() =>
            {
                for (int i = 0; i < 1000; i++) held.Add(((IBackend)cuda).Allocate(int.MaxValue / 2));
            });
            Assert.Contains("out of memory", e.Message);
        }
        finally
        {
            foreach (var b in held) b.Dispose();
            cuda.ReleaseCachedMemory();
        }
    }

    [GpuFact]
    public void RandomFillReproducesRandomKeyBitForBit()
    {
        var key = RandomKey.FromSeed(123);
        using var b = ((IBackend)fixture.Cuda).Allocate(4096);
        ((IBackend)fixture.Cuda).FillUniform(b, 4096, key, 0f, 1f);
        var got = new float[4096];
        ((IBackend)fixture.Cuda).Download(b, got);
        for (int i = 0; i < got.Length; i++) Assert.Equal(key.Uniform(i), got[i]);
    }

    [GpuFact]
    public void BackendsCanBeCreatedAndDisposedRepeatedly()
    {
        for (int i = 0; i < 2; i++)
        {
            using IBackend backend = new CudaBackend(0);
            using var b = backend.Upload([1f, 2f, 3f]);
            backend.Unary(UnaryKernel.Neg, b, b, 3);
            var r = new float[3];
            backend.Download(b, r);
            Assert.Equal([-1f, -2f, -3f], r);
        }
    }

    [GpuFact]
    public void UsingADisposedBackendThrows()
    {
        IBackend backend = new CudaBackend(0);
        backend.Dispose();
        Assert.Throws<ObjectDisposedException>(() => backend.Allocate(1));
    }
}
