namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuDNN 2-D cross-correlation descriptor with float compute, groups and math type.</summary>
internal sealed class ConvolutionDescriptor : NativeHandle
{
    private ConvolutionDescriptor(nint value) : base(value) { }

    /// <summary>Creates the descriptor.</summary>
    public static ConvolutionDescriptor Create(int padH, int padW, int strideH, int strideW, int groups, int mathType)
    {
        Cudnn.Check(Cudnn.cudnnCreateConvolutionDescriptor(out var d));
        var result = new ConvolutionDescriptor(d);
        Cudnn.Check(Cudnn.cudnnSetConvolution2dDescriptor(d, padH, padW, strideH, strideW, 1, 1, Cudnn.CrossCorrelation, Cudnn.DataFloat));
        Cudnn.Check(Cudnn.cudnnSetConvolutionGroupCount(d, groups));
        Cudnn.Check(Cudnn.cudnnSetConvolutionMathType(d, mathType));
        return result;
    }

    /// <summary>Sets the math type used by the next call.</summary>
    public void SetMathType(int mathType) => Cudnn.Check(Cudnn.cudnnSetConvolutionMathType(Value, mathType));

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cudnn.cudnnDestroyConvolutionDescriptor(handle) == 0;
}
