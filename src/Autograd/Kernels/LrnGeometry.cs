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
/// <para><see cref="FindProblem"/> is the one rule for what an LRN may be: <c>Ops.Lrn</c> and every backend apply it
/// (through <see cref="Validate"/>), so a geometry one of them accepts, all accept.</para>
/// </remarks>
public readonly record struct LrnGeometry(int Batch, int Channels, int Height, int Width, int Size, float Alpha, float Beta, float K)
{
    /// <summary>The alpha to pass to cuDNN or PyTorch for the same layer: Alpha · Size.</summary>
    public double CudnnAlpha => (double)Alpha * Size;

    /// <summary>Elements of the input (and output) tensor.</summary>
    public int Count => Batch * Channels * Height * Width;

    /// <summary>
    /// What makes this normalisation impossible, or null when it is valid. The rule: the batch may be empty (0: nothing
    /// to compute); channels, height and width are at least 1; the window n is a positive odd number (centred on its
    /// channel); α, β and k are finite and ≥ 0; and the tensor has at most <see cref="int.MaxValue"/> elements.
    /// </summary>
    public string? FindProblem()
    {
        if (Batch < 0) return $"the batch must be ≥ 0, got {Batch}";
        if (Channels < 1 || Height < 1 || Width < 1)
            return $"the input must have at least one channel, row and column, got {Channels}×{Height}×{Width}";
        if (Size < 1 || Size % 2 == 0) return $"the window n must be a positive odd number (centred on its channel), got {Size}";
        if (!(Alpha >= 0) || !(Beta >= 0) || !(K >= 0) || !float.IsFinite(Alpha) || !float.IsFinite(Beta) || !float.IsFinite(K))
            return $"α ({Alpha}), β ({Beta}) and k ({K}) must be finite and ≥ 0";
        if ((long)Batch * Channels * Height * Width > int.MaxValue) return $"the tensor would have more than {int.MaxValue:N0} elements; use a smaller batch";
        return null;
    }

    /// <summary>Checks <see cref="FindProblem"/>.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid; the message names the problem.</exception>
    public void Validate()
    {
        if (FindProblem() is { } problem) throw new ArgumentException($"Invalid LRN geometry {this}: {problem}.");
    }
}
