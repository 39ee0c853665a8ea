namespace AlexNet.Gpu;

/// <summary>Base class of every error raised by the CUDA backend and its native bindings.</summary>
public class GpuException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public GpuException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public GpuException(string message, Exception inner) : base(message, inner) { }
}
