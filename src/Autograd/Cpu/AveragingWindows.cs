using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// The windows of an average pooling, row by row and column by column: output row i averages input rows
/// [RowStart[i], RowEnd[i]) and output column j input columns [ColumnStart[j], ColumnEnd[j]), already clipped to the
/// input. The divisor is <see cref="FixedDivisor"/> when positive (the whole window, padding included), else the
/// clipped window's element count. Both fixed-window and adaptive pooling reduce to this form, so one pair of kernels
/// serves both.
/// </summary>
internal sealed class AveragingWindows
{
    private AveragingWindows(int planes, int inHeight, int inWidth, int[] rowStart, int[] rowEnd, int[] columnStart, int[] columnEnd, float fixedDivisor)
    {
        Planes = planes;
        InHeight = inHeight;
        InWidth = inWidth;
        RowStart = rowStart;
        RowEnd = rowEnd;
        ColumnStart = columnStart;
        ColumnEnd = columnEnd;
        FixedDivisor = fixedDivisor;
    }

    public int Planes { get; }
    public int InHeight { get; }
    public int InWidth { get; }
    public int OutHeight => RowStart.Length;
    public int OutWidth => ColumnStart.Length;
    public int[] RowStart { get; }
    public int[] RowEnd { get; }
    public int[] ColumnStart { get; }
    public int[] ColumnEnd { get; }
    public float FixedDivisor { get; }

    /// <summary>The divisor of output (oy, ox).</summary>
    public float Divisor(int oy, int ox) =>
        FixedDivisor > 0 ? FixedDivisor : (float)((RowEnd[oy] - RowStart[oy]) * (ColumnEnd[ox] - ColumnStart[ox]));

    /// <summary>Fixed windows clipped to the input; the divisor is the whole window (PyTorch's count_include_pad=True).</summary>
    public static AveragingWindows Of(in PoolGeometry g)
    {
        var (rs, re) = Fixed(g.OutHeight, g.InHeight, g.KernelHeight, g.StrideHeight, g.PadHeight);
        var (cs, ce) = Fixed(g.OutWidth, g.InWidth, g.KernelWidth, g.StrideWidth, g.PadWidth);
        return new AveragingWindows(g.Batch * g.Channels, g.InHeight, g.InWidth, rs, re, cs, ce, (float)g.KernelHeight * g.KernelWidth);
    }

    /// <summary>PyTorch's adaptive windows; the divisor is each window's element count.</summary>
    public static AveragingWindows Of(in AdaptivePoolGeometry g)
    {
        var (rs, re) = Adaptive(g.OutHeight, g.InHeight);
        var (cs, ce) = Adaptive(g.OutWidth, g.InWidth);
        return new AveragingWindows(g.Batch * g.Channels, g.InHeight, g.InWidth, rs, re, cs, ce, 0f);
    }

    private static (int[] Start, int[] End) Fixed(int outputs, int input, int kernel, int stride, int pad)
    {
        var start = new int[outputs];
        var end = new int[outputs];
        for (int i = 0; i < outputs; i++)
        {
            int s = i * stride - pad;
            start[i] = Math.Max(s, 0);
            end[i] = Math.Min(s + kernel, input);
        }
        return (start, end);
    }

    private static (int[] Start, int[] End) Adaptive(int outputs, int input)
    {
        var start = new int[outputs];
        var end = new int[outputs];
        for (int i = 0; i < outputs; i++)
        {
            start[i] = AdaptivePoolGeometry.WindowStart(i, input, outputs);
            end[i] = AdaptivePoolGeometry.WindowEnd(i, input, outputs);
        }
        return (start, end);
    }
}
