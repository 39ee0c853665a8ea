namespace AlexNet.Autograd.Kernels;

/// <summary>
/// Local response normalisation across channels in the paper's convention, over NCHW input
/// <c>[Batch, Channels, Height, Width]</c>:
/// b_i = a_i / (K + Alpha · Σ_{j=max(0, i−Size/2)}^{min(C−1, i+Size/2)} a_j²)^Beta.
/// </summary>
/// <remarks>
/// Alpha is <b>not</b> divided by Size here. cuDNN (<c>cudnnSetLRNDescriptor</c>) and PyTorch
/// (<c>LocalResponseNorm</c>) divide their alpha by n, so the paper's α = 1e-4, n = 5 is their alpha = 5e-4:
/// use <see cref="CudnnAlpha"/> when calling them.
/// </remarks>
public readonly record struct LrnGeometry(int Batch, int Channels, int Height, int Width, int Size, float Alpha, float Beta, float K)
{
    /// <summary>The alpha to pass to cuDNN or PyTorch for the same layer: Alpha · Size.</summary>
    public double CudnnAlpha => (double)Alpha * Size;

    /// <summary>Elements of the input (and output) tensor.</summary>
    public int Count => Batch * Channels * Height * Width;
}
