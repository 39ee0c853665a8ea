namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuDNN 2-D pooling descriptor: deterministic max pooling, or average pooling that divides by the whole window.</summary>
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

    /// <summary>Creates an average-pooling descriptor (CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING: padding cells count
    /// as zeros and every window divides by its full area, as PyTorch's count_include_pad=True).</summary>
    public static PoolingDescriptor CreateAverage(int windowH, int windowW, int padH, int padW, int strideH, int strideW)
    {
        Cudnn.Check(Cudnn.cudnnCreatePoolingDescriptor(out var d));
        var result = new PoolingDescriptor(d);
        Cudnn.Check(Cudnn.cudnnSetPooling2dDescriptor(d, Cudnn.PoolingAverageIncludePadding, Cudnn.PropagateNan, windowH, windowW, padH, padW, strideH, strideW));
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cudnn.cudnnDestroyPoolingDescriptor(handle) == 0;
}
