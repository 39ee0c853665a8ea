namespace AlexNet.Autograd.Kernels;

/// <summary>Buffer counters of a backend: what is handed out now and the most ever handed out at once.</summary>
/// <param name="LiveBuffers">Buffers allocated and not yet disposed.</param>
/// <param name="LiveBytes">Bytes in those buffers.</param>
/// <param name="PeakBytes">The largest <paramref name="LiveBytes"/> seen since the backend was created or the peak was reset.</param>
/// <param name="PooledBytes">Bytes held in the pool for reuse (not live).</param>
public readonly record struct MemoryStats(long LiveBuffers, long LiveBytes, long PeakBytes, long PooledBytes);
