namespace AlexNet.Autograd.Kernels;

/// <summary>
/// Geometry of a 2-D max pooling over NCHW input <c>[Batch, Channels, InHeight, InWidth]</c>. Padding cells count as −∞
/// (they never win). The paper's overlapping pooling is kernel 3, stride 2.
/// </summary>
public readonly record struct PoolGeometry(
    int Batch, int Channels, int InHeight, int InWidth,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int PadHeight, int PadWidth)
{
    /// <summary>Output height: ⌊(H + 2·pad − k) / stride⌋ + 1.</summary>
    public int OutHeight => (InHeight + 2 * PadHeight - KernelHeight) / StrideHeight + 1;

    /// <summary>Output width: ⌊(W + 2·pad − k) / stride⌋ + 1.</summary>
    public int OutWidth => (InWidth + 2 * PadWidth - KernelWidth) / StrideWidth + 1;

    /// <summary>Elements of the input tensor.</summary>
    public int InputCount => Batch * Channels * InHeight * InWidth;

    /// <summary>Elements of the output tensor.</summary>
    public int OutputCount => Batch * Channels * OutHeight * OutWidth;
}
