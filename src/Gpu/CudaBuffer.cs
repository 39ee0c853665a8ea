using AlexNet.Autograd.Kernels;

namespace AlexNet.Gpu;

/// <summary>Device memory of a <see cref="CudaBackend"/>: <see cref="DeviceBuffer.Length"/> float32 elements.</summary>
internal sealed class CudaBuffer : DeviceBuffer
{
    private readonly CudaMemoryPool _pool;
    private readonly long _bucket;

    internal CudaBuffer(CudaBackend backend, CudaMemoryPool pool, int length, nint pointer, long bucket)
        : base(backend, length)
    {
        _pool = pool;
        Pointer = pointer;
        _bucket = bucket;
    }

    /// <summary>The device address (0 for an empty buffer).</summary>
    internal nint Pointer { get; }

    /// <inheritdoc/>
    protected override void Release() => _pool.Return(Pointer, _bucket, (long)Length * sizeof(float));
}
