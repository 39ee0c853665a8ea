namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuDNN library handle bound to one stream.</summary>
internal sealed class CudnnHandle : NativeHandle
{
    private CudnnHandle(nint value) : base(value) { }

    /// <summary>Creates a handle whose work goes to <paramref name="stream"/>.</summary>
    public static CudnnHandle Create(nint stream)
    {
        Cudnn.Check(Cudnn.cudnnCreate(out var h));
        var result = new CudnnHandle(h);
        Cudnn.Check(Cudnn.cudnnSetStream(h, stream));
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cudnn.cudnnDestroy(handle) == 0;
}
