namespace AlexNet.Autograd.Kernels;

/// <summary>
/// Geometry of a 2-D max pooling over NCHW input <c>[Batch, Channels, InHeight, InWidth]</c>. Padding cells count as −∞
/// (they never win). The paper's overlapping pooling is kernel 3, stride 2.
/// </summary>
/// <remarks>
/// <see cref="FindProblem"/> is the one rule for what a pooling may be: <c>Ops.MaxPool2d</c> and every backend apply it
/// (through <see cref="Validate"/>), so a geometry one of them accepts, all accept.
/// </remarks>
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

    /// <summary>
    /// What makes this pooling impossible, or null when it is valid. The rule: the batch may be empty (0: nothing to
    /// compute); channels, input size and window are at least 1, stride at least 1; the padding is at most half the
    /// window (PyTorch's rule, so that every window holds at least one input cell); the window fits the padded input;
    /// and both tensors have at most <see cref="int.MaxValue"/> elements.
    /// </summary>
    public string? FindProblem()
    {
        if (Batch < 0) return $"the batch must be ≥ 0, got {Batch}";
        if (Channels < 1 || InHeight < 1 || InWidth < 1)
            return $"the input must have at least one channel, row and column, got {Channels}×{InHeight}×{InWidth}";
        if (KernelHeight < 1 || KernelWidth < 1) return $"the window must be at least 1×1, got {KernelHeight}×{KernelWidth}";
        if (StrideHeight < 1 || StrideWidth < 1) return $"the stride must be ≥ 1, got {StrideHeight}×{StrideWidth}";
        if (PadHeight < 0 || PadWidth < 0 || 2L * PadHeight > KernelHeight || 2L * PadWidth > KernelWidth)
            return $"the padding {PadHeight}×{PadWidth} must be between 0 and half the {KernelHeight}×{KernelWidth} window";
        long paddedHeight = InHeight + 2L * PadHeight, paddedWidth = InWidth + 2L * PadWidth;
        if (paddedHeight < KernelHeight || paddedWidth < KernelWidth)
            return $"the window {KernelHeight}×{KernelWidth} is larger than the padded input {paddedHeight}×{paddedWidth}";
        long planes = (long)Batch * Channels;
        if (planes * InHeight * InWidth > int.MaxValue
            || planes * ((paddedHeight - KernelHeight) / StrideHeight + 1) * ((paddedWidth - KernelWidth) / StrideWidth + 1) > int.MaxValue)
            return $"a tensor would have more than {int.MaxValue:N0} elements; use a smaller batch";
        return null;
    }

    /// <summary>Prints the stored fields only: the derived sizes divide by the stride, so printing them would throw for
    /// the very geometries a message has to describe.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Batch = {Batch}, Channels = {Channels}, InHeight = {InHeight}, InWidth = {InWidth}, ")
               .Append($"KernelHeight = {KernelHeight}, KernelWidth = {KernelWidth}, StrideHeight = {StrideHeight}, StrideWidth = {StrideWidth}, ")
               .Append($"PadHeight = {PadHeight}, PadWidth = {PadWidth}");
        return true;
    }

    /// <summary>Checks <see cref="FindProblem"/>.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid; the message names the problem.</exception>
    public void Validate()
    {
        if (FindProblem() is { } problem) throw new ArgumentException($"Invalid pooling geometry {this}: {problem}.");
    }
}
