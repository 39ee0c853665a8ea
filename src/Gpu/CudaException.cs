namespace AlexNet.Gpu;

/// <summary>A call into the CUDA runtime (libcudart) returned an error status.</summary>
public sealed class CudaException : GpuException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The native function that failed.</param>
    /// <param name="status">Its cudaError_t status code.</param>
    /// <param name="text">The library's own description of the status.</param>
    public CudaException(string call, int status, string text)
        : base($"{call} failed with status {status}: {text}")
    {
        Call = call;
        Status = status;
    }

    /// <summary>The native function that failed.</summary>
    public string Call { get; }

    /// <summary>The cudaError_t status code it returned.</summary>
    public int Status { get; }
}
