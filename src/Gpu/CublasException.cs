namespace AlexNet.Gpu;

/// <summary>A call into cuBLAS returned an error status.</summary>
public sealed class CublasException : GpuException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The native function that failed.</param>
    /// <param name="status">Its cublasStatus_t status code.</param>
    /// <param name="text">The library's own description of the status.</param>
    public CublasException(string call, int status, string text)
        : base($"{call} failed with status {status}: {text}")
    {
        Call = call;
        Status = status;
    }

    /// <summary>The native function that failed.</summary>
    public string Call { get; }

    /// <summary>The cublasStatus_t status code it returned.</summary>
    public int Status { get; }
}
