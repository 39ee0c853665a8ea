namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Thread-safe pool of pinned float arrays keyed by exact length, with the live/peak/pooled counters of
/// <see cref="Kernels.MemoryStats"/>. Exact-length reuse keeps a repeated step of the same shapes from growing memory.
/// </summary>
internal sealed class BufferPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = [];
    private readonly Lock _lock = new();
    private long _liveBuffers;
    private long _liveBytes;
    private long _peakBytes;
    private long _pooledBytes;

    /// <summary>An array of exactly <paramref name="length"/> elements, recycled when one is free (contents undefined).</summary>
    public float[] Rent(int length)
    {
        float[]? array = null;
        lock (_lock)
        {
            if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                array = stack.Pop();
                _pooledBytes -= 4L * length;
            }
            _liveBuffers++;
            _liveBytes += 4L * length;
            if (_liveBytes > _peakBytes) _peakBytes = _liveBytes;
        }
        return array ?? GC.AllocateUninitializedArray<float>(length, pinned: true);
    }

    /// <summary>Takes an array back for reuse.</summary>
    public void Return(float[] array)
    {
        lock (_lock)
        {
            if (!_free.TryGetValue(array.Length, out var stack)) _free[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
            _liveBuffers--;
            _liveBytes -= 4L * array.Length;
            _pooledBytes += 4L * array.Length;
        }
    }

    /// <summary>The current counters.</summary>
    public Kernels.MemoryStats Stats
    {
        get
        {
            lock (_lock) return new(_liveBuffers, _liveBytes, _peakBytes, _pooledBytes);
        }
    }

    /// <summary>Sets the peak to the live bytes.</summary>
    public void ResetPeak()
    {
        lock (_lock) _peakBytes = _liveBytes;
    }

    /// <summary>Drops every pooled array so the GC can reclaim it.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _free.Clear();
            _pooledBytes = 0;
        }
    }
}
