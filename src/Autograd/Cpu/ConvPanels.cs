using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// op(B) of a convolution as a GEMM, unfolded straight from a group of channels into packed panels (im2col fused with
/// packing, so the column matrix never exists): B[p, j] is input channel/offset p = (c, ki, kj) at output position
/// j = (image, oy, ox), images following each other from <paramref name="images"/> (so several small images can share
/// one GEMM). The images are already zero-padded and split into stride phases (<see cref="PaddedImages"/>), so every
/// read is in bounds and each run of output columns is one contiguous copy.
/// </summary>
internal readonly unsafe struct ImageColumnsB(float* images, ConvGeometry g, PaddedImages.Layout layout) : IPanelSourceB
{
    /// <inheritdoc/>
    // Fully optimised from the first call, like GemmPacking: tier-0 packing would stall the micro-kernel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int p0, int j0, int kc, int cols, int nr, float* destination)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, ow = g.OutWidth, spatial = g.OutHeight * ow;
        long planeSize = layout.PlaneSize;
        // Cut the columns into runs that stay in one output row and one micro-panel; the runs are the same for every step.
        // With the input split into phases, a run is contiguous whatever the stride. Offsets are taken from the block's
        // first image, so they stay small whatever the batch.
        var runs = ConvScratch.Current.Runs;
        int count = 0, firstImage = j0 / spatial;
        float* image = images + firstImage * layout.ImageSize;
        for (int j = j0; j < j0 + cols;)
        {
            int n = j / spatial - firstImage, oy = j % spatial / ow, ox = j % ow, local = j - j0;
            int length = Math.Min(Math.Min(ow - ox, j0 + cols - j), nr - local % nr);
            long source = n * layout.ImageSize + oy * g.StrideHeight * layout.RowStride + ox;
            runs[count++] = new Run(checked((int)source), length, local / nr * kc * nr + local % nr);
            j += length;
        }
        int c = p0 / (kh * kw), ki = p0 / kw % kh, kj = p0 % kw;
        fixed (Run* first = runs)
        {
            Run* end = first + count;
            for (int p = 0; p < kc; p++)
            {
                float* src = image + c * planeSize + ki * layout.RowStride + layout.ColumnOffset(kj);
                float* dst = destination + p * nr;
                if (nr >= 16 && p < kc - 1)
                {
                    // Whole-vector copies that may run past a run's end: the overflow lands on columns a later run of this
                    // step, or the next step, rewrites (the last step copies exactly; a micro-panel row holds at least
                    // 16 columns), and reads stay inside the padded copy's slack.
                    for (Run* run = first; run < end; run++)
                    {
                        float* from = src + run->Source, to = dst + run->Destination;
                        Vector512.Store(Vector512.Load(from), to);
                        if (run->Length > 16) Vector512.Store(Vector512.Load(from + 16), to + 16);
                    }
                }
                else
                {
                    for (Run* run = first; run < end; run++)
                        SmallCopy.Contiguous(src + run->Source, dst + run->Destination, run->Length);
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

    /// <summary>A run of output columns: offset of its first input in a padded plane, length, offset in the packed block.</summary>
    internal readonly record struct Run(int Source, int Length, int Destination);
}

/// <summary>
/// op(B) of the weight gradient as a GEMM over the whole batch: B[p, j] is the unfolded input at position
/// p = (image, oy, ox) for channel/offset j = (c, ki, kj) of one group, read from a zero-padded copy with slack
/// (<see cref="PaddedImages"/>, always made for this source since it reads whole vectors past runs).
/// </summary>
internal readonly unsafe struct ImageRowsB(float* groupInput, ConvGeometry g, PaddedImages.Layout layout) : IPanelSourceB
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int p0, int j0, int kc, int cols, int nr, float* destination)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, ow = g.OutWidth, wp = layout.RowStride;
        int spatial = g.OutHeight * ow, rowStep = g.StrideHeight * wp, colStep = g.StrideWidth;
        var scratch = ConvScratch.Current;
        int* offsets = scratch.Offsets;
        var runs = scratch.Runs;
        for (int jr = 0; jr < cols; jr += nr)
        {
            int width = Math.Min(nr, cols - jr);
            float* panel = destination + (long)(jr / nr) * kc * nr;
            // Columns (c, ki, kj) with consecutive kj read consecutive inputs: group them into runs copied as one vector.
            int count = 0;
            for (int t = 0; t < width; t++)
            {
                int kidx = j0 + jr + t;
                offsets[t] = (int)(kidx / (kh * kw) * layout.PlaneSize) + kidx / kw % kh * wp + layout.ColumnOffset(kidx % kw);
                if (count > 0 && offsets[t] == offsets[t - 1] + 1 && runs[count - 1].Length < 16)
                    runs[count - 1] = runs[count - 1] with { Length = runs[count - 1].Length + 1 };
                else
                    runs[count++] = new ImageColumnsB.Run(offsets[t], 1, t);
            }
            int n = p0 / spatial, s = p0 % spatial, oy = s / ow, ox = s % ow;
            float* image = groupInput + n * layout.ImageSize;
            fixed (ImageColumnsB.Run* first = runs)
            {
                ImageColumnsB.Run* end = first + count;
                for (int p = 0; p < kc; p++)
                {
                    float* d = panel + p * nr;
                    float* origin = image + oy * rowStep + ox * colStep;
                    if (p < kc - 1 && nr >= 16)
                    {
                        // Whole vectors that may overrun a run: the overflow lands on columns a later run or the next
                        // step rewrites (the last step copies exactly), and reads stay inside the padded copy's slack.
                        for (var run = first; run < end; run++)
                        {
                            float* from = origin + run->Source, to = d + run->Destination;
                            if (run->Length <= 4) Vector128.Store(Vector128.Load(from), to);
                            else if (run->Length <= 8) Vector256.Store(Vector256.Load(from), to);
                            else Vector512.Store(Vector512.Load(from), to);
                        }
                    }
                    else
                    {
                        for (int t = 0; t < width; t++) d[t] = origin[offsets[t]];
                    }
                    for (int t = width; t < nr; t++) d[t] = 0f;
                    if (++ox == ow)
                    {
                        ox = 0;
                        if (++oy == g.OutHeight)
                        {
                            oy = 0;
                            image += layout.ImageSize;
                        }
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
    public static bool IsPrepacked => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    public static bool IsPrepacked => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
