namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuDNN 4-D NCHW float tensor descriptor.</summary>
internal sealed class TensorDescriptor : NativeHandle
{
    private TensorDescriptor(nint value) : base(value) { }

    /// <summary>Creates the descriptor of a dense NCHW float tensor.</summary>
    public static TensorDescriptor Create(int n, int c, int h, int w)
    {
        Cudnn.Check(Cudnn.cudnnCreateTensorDescriptor(out var d));
        var result = new TensorDescriptor(d);
        Cudnn.Check(Cudnn.cudnnSetTensor4dDescriptor(d, Cudnn.TensorNchw, Cudnn.DataFloat, n, c, h, w));
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cudnn.cudnnDestroyTensorDescriptor(handle) == 0;
}
