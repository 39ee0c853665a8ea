namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A CUDA stream.</summary>
internal sealed class CudaStream : NativeHandle
{
    private CudaStream(nint value) : base(value) { }

    /// <summary>Creates a stream (blocking with respect to the legacy default stream).</summary>
    public static CudaStream Create()
    {
        CudaRuntime.Check(CudaRuntime.cudaStreamCreateWithFlags(out var s, 0));
        return new CudaStream(s);
    }

    /// <summary>Waits until all work queued on the stream has finished.</summary>
    public void Synchronize() => CudaRuntime.Check(CudaRuntime.cudaStreamSynchronize(Value));

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaRuntime.cudaStreamDestroy(handle) == 0;
}
