using AlexNet.Autograd.Cpu;
using AlexNet.Gpu;

namespace AlexNet.Tests.Gpu;

/// <summary>One CUDA backend (when a device exists) and one CPU reference shared by the GPU test classes.</summary>
public sealed class CudaFixture : IDisposable
{
    private readonly Lazy<CudaBackend> _cuda = new(() => new CudaBackend(0));

    /// <summary>The CUDA backend on device 0 (created on first use; only touched by GPU-gated tests).</summary>
    public CudaBackend Cuda => _cuda.Value;

    /// <summary>The reference.</summary>
    public CpuBackend Cpu { get; } = new();

    public void Dispose()
    {
        if (_cuda.IsValueCreated) _cuda.Value.Dispose();
        Cpu.Dispose();
    }
}
