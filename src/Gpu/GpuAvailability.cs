using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu;

/// <summary>Whether a CUDA device can be used here, and if not, why. Probing never throws and never aborts the process.</summary>
public static class GpuAvailability
{
    private static readonly Lazy<(int Count, string? Reason)> Probe = new(Detect);

    /// <summary>Number of CUDA devices usable by the CUDA backend (0 when the libraries or driver are missing).</summary>
    public static int DeviceCount => Probe.Value.Count;

    /// <summary>Why no device can be used, or null when at least one can.</summary>
    public static string? Reason => Probe.Value.Reason;

    /// <summary>True when at least one CUDA device is usable.</summary>
    public static bool IsAvailable => Probe.Value.Count > 0;

    private static (int, string?) Detect()
    {
        if (!GpuLibraries.TryEnsureLoaded(out var error)) return (0, error);
        try
        {
            int status = CudaRuntime.cudaGetDeviceCount(out int count);
            if (status != 0) return (0, "cudaGetDeviceCount failed: " + CudaRuntime.Describe(status));
            return count > 0 ? (count, null) : (0, "the CUDA runtime reports no device");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or GpuException)
        {
            return (0, e.GetType().Name + ": " + e.Message);
        }
    }
}
