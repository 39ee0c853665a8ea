namespace AlexNet.Autograd.Kernels;

/// <summary>
/// Geometry of a 2-D adaptive average pooling over NCHW input <c>[Batch, Channels, InHeight, InWidth]</c> to
/// <c>[Batch, Channels, OutHeight, OutWidth]</c>, with PyTorch's windows: output row i averages input rows
/// [⌊i·InHeight/OutHeight⌋, ⌈(i+1)·InHeight/OutHeight⌉), and likewise for columns. Windows may overlap (when the output
/// size does not divide the input size) and every window holds at least one row and column, so the output may also be
/// larger than the input (1×1 → 6×6 repeats the one value).
/// </summary>
public readonly record struct AdaptivePoolGeometry(int Batch, int Channels, int InHeight, int InWidth, int OutHeight, int OutWidth)
{
    /// <summary>Elements of the input tensor.</summary>
    public int InputCount => Batch * Channels * InHeight * InWidth;

    /// <summary>Elements of the output tensor.</summary>
    public int OutputCount => Batch * Channels * OutHeight * OutWidth;

    /// <summary>First input index of output <paramref name="index"/>'s window: ⌊index·input/output⌋.</summary>
    public static int WindowStart(int index, int input, int output) => (int)((long)index * input / output);

    /// <summary>One past the last input index of output <paramref name="index"/>'s window: ⌈(index+1)·input/output⌉.</summary>
    public static int WindowEnd(int index, int input, int output) => (int)(((long)(index + 1) * input + output - 1) / output);

    /// <summary>Whether every size is positive (the batch may be 0).</summary>
    public bool IsValid => Batch >= 0 && Channels > 0 && InHeight > 0 && InWidth > 0 && OutHeight > 0 && OutWidth > 0;
}
