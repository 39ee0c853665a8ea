using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu;

/// <summary>
/// A caching device allocator with size-bucketed free lists: freed blocks are kept per rounded size and handed out
/// again without a <c>cudaMalloc</c>. Safe with one stream: a block freed while kernels that use it are still queued is
/// only reused by work queued later on the same stream. Counts live and peak bytes as requested (elements × 4).
/// </summary>
internal sealed class CudaMemoryPool
{
    private const long SmallGranule = 512;
    private const long LargeThreshold = 1 << 20;
    private const long LargeGranule = 2 << 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Stack<nint>> _free = new();
    private readonly string _device;
    private long _liveBuffers;
    private long _liveBytes;
    private long _peakBytes;
    private long _pooledBytes;
    private long _reservedBytes;
    private bool _closed;

    /// <summary>Creates an empty pool for the device named <paramref name="device"/>.</summary>
    public CudaMemoryPool(string device) => _device = device;

    /// <summary>Current counters.</summary>
    public MemoryStats Stats
    {
        get
        {
            lock (_gate) return new MemoryStats(_liveBuffers, _liveBytes, _peakBytes, _pooledBytes);
        }
    }

    /// <summary>Bytes obtained from the device (live blocks plus cached ones, rounded to buckets).</summary>
    public long ReservedBytes
    {
        get
        {
            lock (_gate) return _reservedBytes;
        }
    }

    /// <summary>Sets the peak to the current live bytes.</summary>
    public void ResetPeak()
    {
        lock (_gate) _peakBytes = _liveBytes;
    }

    /// <summary>The bucket a request of <paramref name="bytes"/> is served from.</summary>
    public static long BucketSize(long bytes)
    {
        if (bytes <= 0) return 0;
        long granule = bytes < LargeThreshold ? SmallGranule : LargeGranule;
        return (bytes + granule - 1) / granule * granule;
    }

    /// <summary>A block of at least <paramref name="bytes"/> bytes; the caller's thread must have the context current.</summary>
    /// <exception cref="GpuOutOfMemoryException">The device has no room even after the cache was emptied.</exception>
    public nint Rent(long bytes, out long bucket)
    {
        bucket = BucketSize(bytes);
        lock (_gate)
        {
            nint pointer = 0;
            if (bucket > 0)
            {
                if (_free.TryGetValue(bucket, out var stack) && stack.Count > 0)
                {
                    pointer = stack.Pop();
                    _pooledBytes -= bucket;
                }
                else
                {
                    pointer = DeviceAlloc(bucket, bytes);
                    _reservedBytes += bucket;
                }
            }
            _liveBuffers++;
            _liveBytes += bytes;
            _peakBytes = Math.Max(_peakBytes, _liveBytes);
            return pointer;
        }
    }

    /// <summary>Takes a block back into the cache (no CUDA call, so any thread may return).</summary>
    public void Return(nint pointer, long bucket, long bytes)
    {
        lock (_gate)
        {
            _liveBuffers--;
            _liveBytes -= bytes;
            if (bucket == 0 || _closed) return;
            if (!_free.TryGetValue(bucket, out var stack)) _free[bucket] = stack = new Stack<nint>();
            stack.Push(pointer);
            _pooledBytes += bucket;
        }
    }

    /// <summary>Frees every cached block (the context must be current).</summary>
    public void ReleaseCached()
    {
        lock (_gate) ReleaseCachedLocked();
    }

    /// <summary>Frees the cache and stops caching: blocks returned later are left to the context's teardown.</summary>
    public void Close()
    {
        lock (_gate)
        {
            ReleaseCachedLocked();
            _closed = true;
        }
    }

    /// <summary>Allocates outside the buckets (e.g. cuDNN workspace), emptying the cache first if the device is full.</summary>
    public nint AllocateRaw(long bytes)
    {
        lock (_gate) return DeviceAlloc(bytes, bytes);
    }

    private nint DeviceAlloc(long bucket, long requested)
    {
        int status = CudaRuntime.cudaMalloc(out var pointer, (nuint)bucket);
        if (status == 0) return pointer;
        CudaRuntime.cudaGetLastError();
        if (status != CudaRuntime.ErrorMemoryAllocation) CudaRuntime.Check(status, "cudaMalloc");
        ReleaseCachedLocked();
        status = CudaRuntime.cudaMalloc(out pointer, (nuint)bucket);
        if (status == 0) return pointer;
        CudaRuntime.cudaGetLastError();
        if (status != CudaRuntime.ErrorMemoryAllocation) CudaRuntime.Check(status, "cudaMalloc");
        long free = 0, total = 0;
        if (CudaRuntime.cudaMemGetInfo(out var f, out var t) == 0)
        {
            free = (long)f;
            total = (long)t;
        }
        throw new GpuOutOfMemoryException(_device, requested, _liveBytes, free, total);
    }

    private void ReleaseCachedLocked()
    {
        foreach (var (bucket, stack) in _free)
        {
            while (stack.Count > 0)
            {
                CudaRuntime.cudaFree(stack.Pop());
                _pooledBytes -= bucket;
                _reservedBytes -= bucket;
            }
        }
        _free.Clear();
    }
}
