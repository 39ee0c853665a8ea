namespace AlexNet.Gpu;

/// <summary>The device could not provide the memory asked for, even after the backend's cached blocks were released.</summary>
public sealed class GpuOutOfMemoryException : GpuException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="device">The device name, e.g. <c>cuda:0</c>.</param>
    /// <param name="requestedBytes">The size of the failed allocation.</param>
    /// <param name="liveBytes">Bytes in buffers handed out by the backend at the time.</param>
    /// <param name="freeBytes">Free device memory reported by the driver.</param>
    /// <param name="totalBytes">Total device memory.</param>
    public GpuOutOfMemoryException(string device, long requestedBytes, long liveBytes, long freeBytes, long totalBytes)
        : base($"{device} is out of memory: could not allocate {Mib(requestedBytes)} ({liveBytes:N0} bytes live in buffers, " +
               $"{Mib(freeBytes)} free of {Mib(totalBytes)}). Use a smaller batch or dispose buffers that are no longer needed.")
    {
        RequestedBytes = requestedBytes;
    }

    /// <summary>The size of the failed allocation in bytes.</summary>
    public long RequestedBytes { get; }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";
}
