namespace AlexNet.Autograd.Kernels;

/// <summary>
/// Everything a 2-D convolution kernel needs to know, NCHW input <c>[Batch, InChannels, InHeight, InWidth]</c>,
/// weights <c>[OutChannels, InChannels/Groups, KernelHeight, KernelWidth]</c> (the PyTorch layout), output
/// <c>[Batch, OutChannels, OutHeight, OutWidth]</c>.
/// </summary>
public readonly record struct ConvGeometry(
    int Batch, int InChannels, int InHeight, int InWidth,
    int OutChannels, int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth, int PadHeight, int PadWidth, int Groups)
{
    /// <summary>Output height: ⌊(H + 2·pad − kh) / stride⌋ + 1.</summary>
    public int OutHeight => (InHeight + 2 * PadHeight - KernelHeight) / StrideHeight + 1;

    /// <summary>Output width: ⌊(W + 2·pad − kw) / stride⌋ + 1.</summary>
    public int OutWidth => (InWidth + 2 * PadWidth - KernelWidth) / StrideWidth + 1;

    /// <summary>Input channels seen by each group.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>Output channels produced by each group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Elements of the input tensor.</summary>
    public int InputCount => Batch * InChannels * InHeight * InWidth;

    /// <summary>Elements of the weight tensor.</summary>
    public int WeightCount => OutChannels * InChannelsPerGroup * KernelHeight * KernelWidth;

    /// <summary>Elements of the output tensor.</summary>
    public int OutputCount => Batch * OutChannels * OutHeight * OutWidth;
}
