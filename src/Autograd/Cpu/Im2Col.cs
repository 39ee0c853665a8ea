using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Unfolds one image's channels into the column matrix of a convolution, [C·kh·kw, OH·OW] (row (c, ki, kj), column
/// (oh, ow)), and folds such a matrix back, summing overlaps. Padding cells are zero.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>col = unfold(x) for <paramref name="channels"/> input planes starting at <paramref name="x"/>.</summary>
    public static void Unfold(float* x, int channels, in ConvGeometry g, float* col)
    {
        int h = g.InHeight, w = g.InWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int oh = g.OutHeight, ow = g.OutWidth, sh = g.StrideHeight, sw = g.StrideWidth, ph = g.PadHeight, pw = g.PadWidth;
        for (int c = 0; c < channels; c++)
        {
            float* plane = x + (long)c * h * w;
            for (int ki = 0; ki < kh; ki++)
            {
                for (int kj = 0; kj < kw; kj++)
                {
                    float* row = col + ((long)(c * kh + ki) * kw + kj) * oh * ow;
                    // Output columns whose input column is inside the image: iw = ow·sw − pw + kj ∈ [0, w).
                    int first = Math.Min(ow, CeilDiv(pw - kj, sw));
                    int last = Math.Max(first, Math.Min(ow, CeilDiv(w + pw - kj, sw)));
                    for (int y = 0; y < oh; y++)
                    {
                        float* dst = row + (long)y * ow;
                        int ih = y * sh - ph + ki;
                        if ((uint)ih >= (uint)h)
                        {
                            new Span<float>(dst, ow).Clear();
                            continue;
                        }
                        float* src = plane + (long)ih * w - pw + kj;
                        for (int xo = 0; xo < first; xo++) dst[xo] = 0f;
                        if (sw == 1) new ReadOnlySpan<float>(src + first, last - first).CopyTo(new Span<float>(dst + first, last - first));
                        else for (int xo = first; xo < last; xo++) dst[xo] = src[(long)xo * sw];
                        for (int xo = last; xo < ow; xo++) dst[xo] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>x += fold(col): the adjoint of <see cref="Unfold"/>; x must be zeroed (or hold a sum to add to).</summary>
    public static void Fold(float* col, int channels, in ConvGeometry g, float* x)
    {
        int h = g.InHeight, w = g.InWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int oh = g.OutHeight, ow = g.OutWidth, sh = g.StrideHeight, sw = g.StrideWidth, ph = g.PadHeight, pw = g.PadWidth;
        for (int c = 0; c < channels; c++)
        {
            float* plane = x + (long)c * h * w;
            for (int ki = 0; ki < kh; ki++)
            {
                for (int kj = 0; kj < kw; kj++)
                {
                    float* row = col + ((long)(c * kh + ki) * kw + kj) * oh * ow;
                    int first = Math.Min(ow, CeilDiv(pw - kj, sw));
                    int last = Math.Max(first, Math.Min(ow, CeilDiv(w + pw - kj, sw)));
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * sh - ph + ki;
                        if ((uint)ih >= (uint)h) continue;
                        float* src = row + (long)y * ow;
                        float* dst = plane + (long)ih * w - pw + kj;
                        for (int xo = first; xo < last; xo++) dst[(long)xo * sw] += src[xo];
                    }
                }
            }
        }
    }

    /// <summary>⌈a / b⌉ for b &gt; 0 and any sign of a, clamped below at 0.</summary>
    private static int CeilDiv(int a, int b) => a <= 0 ? 0 : (a + b - 1) / b;
}
