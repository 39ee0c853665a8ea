namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuDNN float filter descriptor, layout [K, C/groups, kh, kw].</summary>
internal sealed class FilterDescriptor : NativeHandle
{
    private FilterDescriptor(nint value) : base(value) { }

    /// <summary>Creates the descriptor of a KCRS float filter.</summary>
    public static FilterDescriptor Create(int k, int c, int h, int w)
    {
        Cudnn.Check(Cudnn.cudnnCreateFilterDescriptor(out var d));
        var result = new FilterDescriptor(d);
        Cudnn.Check(Cudnn.cudnnSetFilter4dDescriptor(d, Cudnn.DataFloat, Cudnn.TensorNchw, k, c, h, w));
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cudnn.cudnnDestroyFilterDescriptor(handle) == 0;
}
