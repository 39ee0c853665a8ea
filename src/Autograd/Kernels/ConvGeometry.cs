namespace AlexNet.Autograd.Kernels;

/// <summary>
/// Everything a 2-D convolution kernel needs to know, NCHW input <c>[Batch, InChannels, InHeight, InWidth]</c>,
/// weights <c>[OutChannels, InChannels/Groups, KernelHeight, KernelWidth]</c> (the PyTorch layout), output
/// <c>[Batch, OutChannels, OutHeight, OutWidth]</c>.
/// </summary>
/// <remarks>
/// <see cref="FindProblem"/> is the one rule for what a convolution may be: <c>Ops.Conv2d</c> and every backend apply it
/// (through <see cref="Validate"/>), so a geometry one of them accepts, all accept.
/// </remarks>
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

    /// <summary>
    /// What makes this convolution impossible, or null when it is valid. The rule: the batch may be empty (0: nothing
    /// to compute); channels, input size and kernel are at least 1, stride at least 1, padding at least 0; the groups
    /// divide both channel counts; the kernel fits the padded input; and every tensor has at most
    /// <see cref="int.MaxValue"/> elements.
    /// </summary>
    public string? FindProblem()
    {
        if (Batch < 0) return $"the batch must be ≥ 0, got {Batch}";
        if (InChannels < 1 || InHeight < 1 || InWidth < 1)
            return $"the input must have at least one channel, row and column, got {InChannels}×{InHeight}×{InWidth}";
        if (OutChannels < 1) return $"there must be at least one output channel, got {OutChannels}";
        if (KernelHeight < 1 || KernelWidth < 1) return $"the kernel must be at least 1×1, got {KernelHeight}×{KernelWidth}";
        if (StrideHeight < 1 || StrideWidth < 1) return $"the stride must be ≥ 1, got {StrideHeight}×{StrideWidth}";
        if (PadHeight < 0 || PadWidth < 0) return $"the padding must be ≥ 0, got {PadHeight}×{PadWidth}";
        if (Groups < 1) return $"groups must be ≥ 1, got {Groups}";
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
            return $"groups = {Groups} must divide the input channels {InChannels} and the output channels {OutChannels}";
        long paddedHeight = InHeight + 2L * PadHeight, paddedWidth = InWidth + 2L * PadWidth;
        if (paddedHeight < KernelHeight || paddedWidth < KernelWidth)
            return $"the kernel {KernelHeight}×{KernelWidth} is larger than the padded input {paddedHeight}×{paddedWidth}";
        long outHeight = (paddedHeight - KernelHeight) / StrideHeight + 1, outWidth = (paddedWidth - KernelWidth) / StrideWidth + 1;
        if ((long)Batch * InChannels * InHeight * InWidth > int.MaxValue || (long)OutChannels * (InChannels / Groups) * KernelHeight * KernelWidth > int.MaxValue
            || (long)Batch * OutChannels * outHeight * outWidth > int.MaxValue)
            return $"a tensor would have more than {int.MaxValue:N0} elements; use a smaller batch";
        return null;
    }

    /// <summary>Prints the stored fields only: the derived sizes divide by the stride and the groups, so printing them
    /// would throw for the very geometries a message has to describe.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Batch = {Batch}, InChannels = {InChannels}, InHeight = {InHeight}, InWidth = {InWidth}, OutChannels = {OutChannels}, ")
               .Append($"KernelHeight = {KernelHeight}, KernelWidth = {KernelWidth}, StrideHeight = {StrideHeight}, StrideWidth = {StrideWidth}, ")
               .Append($"PadHeight = {PadHeight}, PadWidth = {PadWidth}, Groups = {Groups}");
        return true;
    }

    /// <summary>Checks <see cref="FindProblem"/>.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid; the message names the problem.</exception>
    public void Validate()
    {
        if (FindProblem() is { } problem) throw new ArgumentException($"Invalid convolution geometry {this}: {problem}.");
    }
}
