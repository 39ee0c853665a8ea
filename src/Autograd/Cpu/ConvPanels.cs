using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// op(B) of a convolution as a GEMM, unfolded straight from one image's group of channels into packed panels (im2col
/// fused with packing, so the column matrix never exists): B[p, j] is input channel/offset p = (c, ki, kj) at output
/// position j = (oy, ox), zero in the padding.
/// </summary>
internal readonly unsafe struct ImageColumnsB(float* image, ConvGeometry g) : IPanelSourceB
{
    /// <inheritdoc/>
    public void Pack(int p0, int j0, int kc, int cols, int nr, float* destination)
    {
        int h = g.InHeight, w = g.InWidth, kh = g.KernelHeight, kw = g.KernelWidth, ow = g.OutWidth;
        int sh = g.StrideHeight, sw = g.StrideWidth, ph = g.PadHeight, pw = g.PadWidth;
        // Cut the columns into runs that stay in one output row and one micro-panel; the runs are the same for every step.
        var runs = ConvScratch.Current.Runs;
        int count = 0;
        for (int j = j0; j < j0 + cols;)
        {
            int oy = j / ow, ox = j % ow, local = j - j0;
            int length = Math.Min(Math.Min(ow - ox, j0 + cols - j), nr - local % nr);
            runs[count++] = new Run(oy, ox, length, local / nr * kc * nr + local % nr);
            j += length;
        }
        int kidx = p0, c = kidx / (kh * kw), ki = kidx / kw % kh, kj = kidx % kw;
        for (int p = 0; p < kc; p++)
        {
            float* plane = image + (long)c * h * w;
            // Output columns whose input column lies inside the image: 0 ≤ ox·sw − pw + kj < w.
            int first = Math.Min(ow, CeilDivPositive(pw - kj, sw));
            int last = Math.Max(first, Math.Min(ow, CeilDivPositive(w + pw - kj, sw)));
            for (int r = 0; r < count; r++)
            {
                var run = runs[r];
                float* d = destination + run.Offset + p * nr;
                int iy = run.Oy * sh - ph + ki;
                if ((uint)iy >= (uint)h)
                {
                    SmallCopy.Clear(d, run.Length);
                    continue;
                }
                int a = Math.Clamp(first, run.Ox, run.Ox + run.Length), b = Math.Clamp(last, run.Ox, run.Ox + run.Length);
                SmallCopy.Clear(d, a - run.Ox);
                SmallCopy.Strided(plane + (long)iy * w + a * sw - pw + kj, sw, d + (a - run.Ox), b - a);
                SmallCopy.Clear(d + (b - run.Ox), run.Ox + run.Length - b);
            }
            if (++kj == kw)
            {
                kj = 0;
                if (++ki == kh)
                {
                    ki = 0;
                    c++;
                }
            }
        }
        int tail = cols % nr;
        if (tail != 0)
        {
            float* panel = destination + (long)(cols / nr) * kc * nr;
            for (int p = 0; p < kc; p++) SmallCopy.Clear(panel + p * nr + tail, nr - tail);
        }
    }

    /// <summary>⌈a / b⌉ for b &gt; 0, and 0 when a ≤ 0.</summary>
    internal static int CeilDivPositive(int a, int b) => a <= 0 ? 0 : (a + b - 1) / b;

    /// <summary>A run of output columns: output row, first output column, length, offset in the packed block.</summary>
    internal readonly record struct Run(int Oy, int Ox, int Length, int Offset);
}

/// <summary>
/// op(B) of the weight gradient as a GEMM over the whole batch: B[p, j] is the unfolded input at position
/// p = (image, oy, ox) for channel/offset j = (c, ki, kj) of one group; zero in the padding.
/// </summary>
internal readonly unsafe struct ImageRowsB(float* groupInput, ConvGeometry g) : IPanelSourceB
{
    /// <inheritdoc/>
    public void Pack(int p0, int j0, int kc, int cols, int nr, float* destination)
    {
        int h = g.InHeight, w = g.InWidth, kh = g.KernelHeight, kw = g.KernelWidth, ow = g.OutWidth;
        int spatial = g.OutHeight * ow;
        long imageStride = (long)g.InChannels * h * w;
        var scratch = ConvScratch.Current;
        int* offsets = scratch.Offsets, kis = scratch.Kis, kjs = scratch.Kjs;
        for (int jr = 0; jr < cols; jr += nr)
        {
            int width = Math.Min(nr, cols - jr);
            float* panel = destination + (long)(jr / nr) * kc * nr;
            for (int t = 0; t < width; t++)
            {
                int kidx = j0 + jr + t, c = kidx / (kh * kw), ki = kidx / kw % kh, kj = kidx % kw;
                offsets[t] = (c * h + ki) * w + kj;
                kis[t] = ki;
                kjs[t] = kj;
            }
            int n = p0 / spatial, s = p0 % spatial, oy = s / ow, ox = s % ow;
            for (int p = 0; p < kc; p++)
            {
                float* d = panel + p * nr;
                int iy0 = oy * g.StrideHeight - g.PadHeight, ix0 = ox * g.StrideWidth - g.PadWidth;
                float* origin = groupInput + n * imageStride + (long)iy0 * w + ix0;
                if (iy0 >= 0 && ix0 >= 0 && iy0 + kh <= h && ix0 + kw <= w)
                {
                    for (int t = 0; t < width; t++) d[t] = origin[offsets[t]];
                }
                else
                {
                    for (int t = 0; t < width; t++)
                        d[t] = (uint)(iy0 + kis[t]) < (uint)h && (uint)(ix0 + kjs[t]) < (uint)w ? origin[offsets[t]] : 0f;
                }
                for (int t = width; t < nr; t++) d[t] = 0f;
                if (++ox == ow)
                {
                    ox = 0;
                    if (++oy == g.OutHeight)
                    {
                        oy = 0;
                        n++;
                    }
                }
            }
        }
    }
}

/// <summary>
/// op(A) of the weight gradient as a GEMM over the whole batch: A[o, p] is dy of output channel o (within one group)
/// at position p = (image, oy, ox).
/// </summary>
internal readonly unsafe struct BatchRowsA(float* groupGradient, ConvGeometry g) : IPanelSourceA
{
    /// <inheritdoc/>
    public float* Panel(int i0, int p0, int rows, int kc, int mr, float* scratch)
    {
        int spatial = g.OutHeight * g.OutWidth;
        long imageStride = (long)g.OutChannels * spatial;
        for (int r = 0; r < rows; r++)
        {
            float* row = groupGradient + (long)(i0 + r) * spatial;
            int n = p0 / spatial, s = p0 % spatial;
            for (int p = 0; p < kc;)
            {
                float* src = row + n * imageStride + s;
                int run = Math.Min(kc - p, spatial - s);
                float* d = scratch + p * mr + r;
                for (int t = 0; t < run; t++) d[t * mr] = src[t];
                p += run;
                s = 0;
                n++;
            }
        }
        for (int r = rows; r < mr; r++)
        {
            for (int p = 0; p < kc; p++) scratch[p * mr + r] = 0f;
        }
        return scratch;
    }
}

/// <summary>
/// op(A) for the data gradient of a stride-1 convolution written as a forward convolution of dy: the weights with
/// input and output channels swapped within the group and the kernel rotated by 180°, A[ci, (o, ki, kj)] =
/// W[o, ci, kh−1−ki, kw−1−kj].
/// </summary>
internal readonly unsafe struct FlippedWeightsA(float* groupWeights, ConvGeometry g) : IPanelSourceA
{
    /// <inheritdoc/>
    public float* Panel(int i0, int p0, int rows, int kc, int mr, float* scratch)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, cg = g.InChannelsPerGroup, taps = kh * kw;
        for (int r = 0; r < mr; r++)
        {
            for (int p = 0; p < kc; p++)
            {
                int q = p0 + p, o = q / taps, tap = q % taps;
                scratch[p * mr + r] = r < rows ? groupWeights[((long)o * cg + i0 + r) * taps + taps - 1 - tap] : 0f;
            }
        }
        return scratch;
    }
}
