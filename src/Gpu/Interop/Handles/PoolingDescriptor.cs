namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuDNN 2-D deterministic max-pooling descriptor.</summary>
internal sealed class PoolingDescriptor : NativeHandle
{
    private PoolingDescriptor(nint value) : base(value) { }

    /// <summary>Creates the descriptor (CUDNN_POOLING_MAX_DETERMINISTIC, NaN propagated).</summary>
    public static PoolingDescriptor CreateMax(int windowH, int windowW, int padH, int padW, int strideH, int strideW)
    {
        Cudnn.Check(Cudnn.cudnnCreatePoolingDescriptor(out var d));
        var result = new PoolingDescriptor(d);
        Cudnn.Check(Cudnn.cudnnSetPooling2dDescriptor(d, Cudnn.PoolingMaxDeterministic, Cudnn.PropagateNan, windowH, windowW, padH, padW, strideH, strideW));
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cudnn.cudnnDestroyPoolingDescriptor(handle) == 0;
}
