namespace AlexNet.Autograd.Kernels;

/// <summary>
/// A block of float32 storage owned by one backend (host memory for the CPU, device memory for CUDA).
/// Disposing returns it to its backend's pool; a buffer is used by one tensor at a time.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    /// <summary>Creates the handle.</summary>
    protected DeviceBuffer(IBackend backend, int length)
    {
        Backend = backend;
        Length = length;
    }

    /// <summary>The backend that owns this storage.</summary>
    public IBackend Backend { get; }

    /// <summary>Number of float32 elements.</summary>
    public int Length { get; }

    /// <summary>True once the buffer went back to its pool.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Returns the storage to the backend's pool. Idempotent.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Hands the storage back to the pool (called once).</summary>
    protected abstract void Release();
}
