namespace AlexNet.Autograd.Kernels;

/// <summary>
/// A block of float32 storage owned by one backend (host memory for the CPU, device memory for CUDA).
/// It is reference counted: it starts with one reference, <see cref="Retain"/> adds one (a reshaped tensor shares its
/// source's storage), and the last <see cref="Dispose"/> returns it to the backend's pool.
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

    private int _references = 1;

    /// <summary>True once the last reference was dropped and the storage went back to its pool.</summary>
    public bool IsDisposed => Volatile.Read(ref _references) <= 0;

    /// <summary>Adds a reference (for one more owner sharing this storage).</summary>
    /// <exception cref="ObjectDisposedException">The storage already went back to the pool.</exception>
    public DeviceBuffer Retain()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _references);
            ObjectDisposedException.ThrowIf(current <= 0, this);
        }
        while (Interlocked.CompareExchange(ref _references, current + 1, current) != current);
        return this;
    }

    /// <summary>Drops one reference; the last one returns the storage to the backend's pool. A no-op once released.</summary>
    public void Dispose()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _references);
            if (current <= 0) return;
        }
        while (Interlocked.CompareExchange(ref _references, current - 1, current) != current);
        if (current == 1)
        {
            Release();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Hands the storage back to the pool (called once).</summary>
    protected abstract void Release();
}
