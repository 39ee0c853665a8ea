using System.Numerics.Tensors;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Average-pooling kernels over a range of NCHW planes for any <see cref="AveragingWindows"/>. Forward sums each output
/// row's window rows for all input columns at once (vectorised), then each window's columns; backward spreads each
/// output row's gradients over one input-width row (dy / divisor per window column) and adds that row, vectorised, to
/// each of the window's input rows.
/// </summary>
internal static unsafe class AvgPoolKernels
{
    /// <summary>Forward on planes [p0, p1); <paramref name="column"/> holds at least one input row.</summary>
    public static void Forward(float* x, float* y, AveragingWindows a, int p0, int p1, Span<float> column)
    {
        int w = a.InWidth, inPlane = a.InHeight * w, oh = a.OutHeight, ow = a.OutWidth;
        column = column[..w];
        for (int p = p0; p < p1; p++)
        {
            float* src = x + (long)p * inPlane;
            float* dst = y + (long)p * oh * ow;
            for (int oy = 0; oy < oh; oy++)
            {
                int top = a.RowStart[oy], bottom = a.RowEnd[oy];
                new ReadOnlySpan<float>(src + (long)top * w, w).CopyTo(column);
                for (int iy = top + 1; iy < bottom; iy++)
                    TensorPrimitives.Add(column, new ReadOnlySpan<float>(src + (long)iy * w, w), column);
                float* output = dst + oy * ow;
                for (int ox = 0; ox < ow; ox++)
                {
                    float sum = 0f;
                    for (int ix = a.ColumnStart[ox]; ix < a.ColumnEnd[ox]; ix++) sum += column[ix];
                    output[ox] = sum / a.Divisor(oy, ox);
                }
            }
        }
    }

    /// <summary>Backward on planes [p0, p1); overwrites those planes of <paramref name="dx"/>. <paramref name="spread"/>
    /// holds at least one input row.</summary>
    public static void Backward(float* dy, float* dx, AveragingWindows a, int p0, int p1, Span<float> spread)
    {
        int w = a.InWidth, inPlane = a.InHeight * w, oh = a.OutHeight, ow = a.OutWidth;
        spread = spread[..w];
        for (int p = p0; p < p1; p++)
        {
            float* grad = dy + (long)p * oh * ow;
            float* dst = dx + (long)p * inPlane;
            new Span<float>(dst, inPlane).Clear();
            for (int oy = 0; oy < oh; oy++)
            {
                spread.Clear();
                float* row = grad + oy * ow;
                for (int ox = 0; ox < ow; ox++)
                {
                    float share = row[ox] / a.Divisor(oy, ox);
                    for (int ix = a.ColumnStart[ox]; ix < a.ColumnEnd[ox]; ix++) spread[ix] += share;
                }
                for (int iy = a.RowStart[oy]; iy < a.RowEnd[oy]; iy++)
                {
                    var target = new Span<float>(dst + (long)iy * w, w);
                    TensorPrimitives.Add(target, spread, target);
                }
            }
        }
    }
}
