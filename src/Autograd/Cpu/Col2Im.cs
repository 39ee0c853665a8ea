using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Folds a convolution's column matrix [C·kh·kw, OH·OW] (row (c, ki, kj), column (oh, ow)) back onto one image,
/// summing overlaps and dropping padding: the adjoint of im2col, used by the strided data gradient.
/// </summary>
internal static unsafe class Col2Im
{
    /// <summary>x += fold(col); x must be zeroed (or hold a sum to add to).</summary>
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
    private static int CeilDiv(int a, int b) => ImageColumnsB.CeilDivPositive(a, b);
}
