using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public unsafe void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g)
    {
        Validate(g);
        float* xp = Cpu(x, g.InputCount).Pointer;
        float* wp = Cpu(w, g.WeightCount).Pointer;
        float* bp = bias is null ? null : Cpu(bias, g.OutChannels).Pointer;
        float* yp = Cpu(y, g.OutputCount).Pointer;
        nint xa = (nint)xp, wa = (nint)wp, ba = (nint)bp, ya = (nint)yp;
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup, spatial = g.OutHeight * g.OutWidth;
        int kdim = cg * g.KernelHeight * g.KernelWidth;
        ForImages(g, kdim * spatial, (n, col) =>
        {
            for (int gi = 0; gi < g.Groups; gi++)
            {
                float* xin = (float*)xa + ((long)n * g.InChannels + gi * cg) * g.InHeight * g.InWidth;
                float* yout = (float*)ya + ((long)n * g.OutChannels + gi * og) * spatial;
                Im2Col.Unfold(xin, cg, g, col);
                GemmSerial(false, false, og, spatial, kdim, 1f, (float*)wa + (long)gi * og * kdim, kdim, col, spatial, 0f, yout, spatial);
            }
            if (ba != 0)
            {
                float* yout = (float*)ya + (long)n * g.OutChannels * spatial;
                for (int c = 0; c < g.OutChannels; c++)
                    System.Numerics.Tensors.TensorPrimitives.Add(new ReadOnlySpan<float>(yout + (long)c * spatial, spatial), ((float*)ba)[c], new Span<float>(yout + (long)c * spatial, spatial));
            }
        });
    }

    /// <inheritdoc/>
    public unsafe void Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g)
    {
        Validate(g);
        nint ga = (nint)Cpu(dy, g.OutputCount).Pointer;
        nint wa = (nint)Cpu(w, g.WeightCount).Pointer;
        nint da = (nint)Cpu(dx, g.InputCount).Pointer;
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup, spatial = g.OutHeight * g.OutWidth;
        int kdim = cg * g.KernelHeight * g.KernelWidth, plane = g.InHeight * g.InWidth;
        ForImages(g, kdim * spatial, (n, col) =>
        {
            float* dxn = (float*)da + (long)n * g.InChannels * plane;
            new Span<float>(dxn, g.InChannels * plane).Clear();
            for (int gi = 0; gi < g.Groups; gi++)
            {
                float* dyg = (float*)ga + ((long)n * g.OutChannels + gi * og) * spatial;
                GemmSerial(true, false, kdim, spatial, og, 1f, (float*)wa + (long)gi * og * kdim, kdim, dyg, spatial, 0f, col, spatial);
                Im2Col.Fold(col, cg, g, dxn + (long)gi * cg * plane);
            }
        });
    }

    /// <inheritdoc/>
    public unsafe void Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.InputCount).Pointer;
        nint ga = (nint)Cpu(dy, g.OutputCount).Pointer;
        var dwBuffer = Cpu(dw, g.WeightCount);
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup, spatial = g.OutHeight * g.OutWidth;
        int kdim = cg * g.KernelHeight * g.KernelWidth, plane = g.InHeight * g.InWidth, wcount = g.WeightCount;
        int chunks = Math.Max(1, Math.Min(Threads, g.Batch));
        // Each chunk of images accumulates into its own partial gradient; the partials are summed in chunk order.
        var partials = new CpuBuffer[chunks];
        for (int i = 0; i < chunks; i++) partials[i] = i == 0 ? dwBuffer : Rent(wcount);
        try
        {
            ForChunks(g.Batch, chunks, (chunk, start, end) =>
            {
                using var colBuffer = Rent(kdim * spatial);
                float* col = colBuffer.Pointer;
                float* acc = partials[chunk].Pointer;
                for (int n = start; n < end; n++)
                {
                    for (int gi = 0; gi < g.Groups; gi++)
                    {
                        Im2Col.Unfold((float*)xa + ((long)n * g.InChannels + gi * cg) * plane, cg, g, col);
                        float* dyg = (float*)ga + ((long)n * g.OutChannels + gi * og) * spatial;
                        GemmSerial(false, true, og, kdim, spatial, 1f, dyg, spatial, col, spatial, n == start ? 0f : 1f, acc + (long)gi * og * kdim, kdim);
                    }
                }
                if (start == end) new Span<float>(acc, wcount).Clear();
            });
            var total = dwBuffer.Array.AsSpan(0, wcount);
            for (int i = 1; i < chunks; i++) System.Numerics.Tensors.TensorPrimitives.Add(total, partials[i].Array.AsSpan(0, wcount), total);
        }
        finally
        {
            for (int i = 1; i < chunks; i++) partials[i].Dispose();
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g)
    {
        Validate(g);
        var gs = Cpu(dy, g.OutputCount).Array;
        var bs = Cpu(db, g.OutChannels).Array;
        int spatial = g.OutHeight * g.OutWidth;
        For(g.OutChannels, 1, (s, e) =>
        {
            for (int c = s; c < e; c++)
            {
                float sum = 0f;
                for (int n = 0; n < g.Batch; n++)
                    sum += System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(gs, (n * g.OutChannels + c) * spatial, spatial));
                bs[c] = sum;
            }
        });
    }

    /// <summary>Runs <paramref name="body"/>(image, column scratch) for every image, one pooled scratch per worker.</summary>
    private unsafe void ForImages(in ConvGeometry g, int scratch, ImageBody body)
    {
        int chunks = Math.Max(1, Math.Min(Threads, g.Batch));
        ForChunks(g.Batch, chunks, (_, start, end) =>
        {
            using var col = Rent(Math.Max(scratch, 1));
            for (int n = start; n < end; n++) body(n, col.Pointer);
        });
    }

    /// <summary>Splits [0, count) into exactly <paramref name="chunks"/> contiguous ranges run in parallel.</summary>
    private void ForChunks(int count, int chunks, Action<int, int, int> body)
    {
        if (chunks <= 1)
        {
            body(0, 0, count);
            return;
        }
        Parallel.For(0, chunks, _parallel, c => body(c, (int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    private static void Validate(in ConvGeometry g)
    {
        if (g.Batch < 0 || g.InChannels <= 0 || g.OutChannels <= 0 || g.Groups <= 0 || g.InChannels % g.Groups != 0 || g.OutChannels % g.Groups != 0
            || g.KernelHeight <= 0 || g.KernelWidth <= 0 || g.StrideHeight <= 0 || g.StrideWidth <= 0 || g.PadHeight < 0 || g.PadWidth < 0
            || g.InHeight + 2 * g.PadHeight < g.KernelHeight || g.InWidth + 2 * g.PadWidth < g.KernelWidth)
            throw new ArgumentException($"Invalid convolution geometry {g}.", nameof(g));
    }

    private unsafe delegate void ImageBody(int image, float* column);
}
