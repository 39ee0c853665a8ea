namespace AlexNet.Gpu;

/// <summary>A call into the CUDA driver API (libcuda) returned an error status.</summary>
public sealed class CudaDriverException : GpuException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The native function that failed.</param>
    /// <param name="status">Its CUresult status code.</param>
    /// <param name="text">The library's own description of the status.</param>
    public CudaDriverException(string call, int status, string text)
        : base($"{call} failed with status {status}: {text}")
    {
        Call = call;
        Status = status;
    }

    /// <summary>The native function that failed.</summary>
    public string Call { get; }

    /// <summary>The CUresult status code it returned.</summary>
    public int Status { get; }
}
