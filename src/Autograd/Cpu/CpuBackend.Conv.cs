using System.Numerics.Tensors;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    unsafe void IBackend.Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g)
    {
        Validate(g);
        float* xp = Cpu(x, g.InputCount).Pointer;
        float* wp = Cpu(w, g.WeightCount).Pointer;
        float* bp = bias is null ? null : Cpu(bias, g.OutChannels).Pointer;
        float* yp = Cpu(y, g.OutputCount).Pointer;
        int og = g.OutChannelsPerGroup, kdim = g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
        using var packed = PrepackWeights(g.Groups, og, kdim, (gi, mr, dst) =>
        {
            var source = new MatrixA(false, wp + (long)gi * og * kdim, kdim, 1f);
            PrepackedA.Pack(ref source, og, kdim, mr, dst);
        });
        ConvolveImages(xp, packed, bp, yp, g);
    }

    /// <inheritdoc/>
    unsafe void IBackend.Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g)
    {
        Validate(g);
        float* gp = Cpu(dy, g.OutputCount).Pointer;
        float* wp = Cpu(w, g.WeightCount).Pointer;
        float* dp = Cpu(dx, g.InputCount).Pointer;
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup, taps = g.KernelHeight * g.KernelWidth;
        if (g.StrideHeight == 1 && g.StrideWidth == 1 && g.PadHeight < g.KernelHeight && g.PadWidth < g.KernelWidth)
        {
            // A stride-1 data gradient is a forward convolution of dy with the rotated, channel-swapped kernel and the
            // complementary padding: same fused-im2col GEMM, and no col2im scatter.
            var flipped = new ConvGeometry(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels,
                g.KernelHeight, g.KernelWidth, 1, 1, g.KernelHeight - 1 - g.PadHeight, g.KernelWidth - 1 - g.PadWidth, g.Groups);
            using var packed = PrepackWeights(g.Groups, cg, og * taps, (gi, mr, dst) =>
            {
                var source = new FlippedWeightsA(wp + (long)gi * og * cg * taps, g);
                PrepackedA.Pack(ref source, cg, og * taps, mr, dst);
            });
            ConvolveImages(gp, packed, null, dp, flipped);
            return;
        }
        BackwardDataByFolding(gp, wp, dp, g);
    }

    /// <inheritdoc/>
    unsafe void IBackend.Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.InputCount).Pointer;
        nint ga = (nint)Cpu(dy, g.OutputCount).Pointer;
        nint wa = (nint)Cpu(dw, g.WeightCount).Pointer;
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup, spatial = g.OutHeight * g.OutWidth;
        int kdim = cg * g.KernelHeight * g.KernelWidth, depth = g.Batch * spatial;
        var path = Path;
        var (mr, nr) = PackedGemm.TileOf(path);
        // dW_g = Σ over the batch of dy_g · colᵀ: one GEMM per group with the batch folded into k, so every weight
        // gradient element is summed by one thread in a fixed order (deterministic whatever the thread count).
        var (rowParts, colParts) = Split(g.Groups, og, kdim, mr, nr);
        int parts = g.Groups * rowParts * colParts;
        var layout = PaddedImages.LayoutOf(g, phased: false);
        using var padded = PaddedImages.Create(this, (float*)xa, g, layout);
        xa = (nint)padded.Pointer;
        ParallelItems(parts, item =>
        {
            int gi = item / (rowParts * colParts), rp = item / colParts % rowParts, cp = item % colParts;
            int rowTiles = (og + mr - 1) / mr, colTiles = (kdim + nr - 1) / nr;
            var a = new BatchRowsA((float*)ga + (long)gi * og * spatial, g);
            var b = new ImageRowsB((float*)xa + gi * cg * layout.PlaneSize, g, layout);
            PackedGemm.Run(path, ref a, ref b,
                rowTiles * rp / rowParts * mr, Math.Min(og, rowTiles * (rp + 1) / rowParts * mr),
                colTiles * cp / colParts * nr, Math.Min(kdim, colTiles * (cp + 1) / colParts * nr),
                depth, 0f, (float*)wa + (long)gi * og * kdim, kdim);
        });
    }

    /// <inheritdoc/>
    void IBackend.Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g)
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
                    sum += TensorPrimitives.Sum(new ReadOnlySpan<float>(gs, (n * g.OutChannels + c) * spatial, spatial));
                bs[c] = sum;
            }
        });
    }

    /// <summary>
    /// y = conv(x) + bias with the weights already packed per group, each GEMM unfolding its part of the input straight
    /// into packed panels. Large outputs run one GEMM per (image, group, block of output positions); small ones (13×13,
    /// 6×6) put several images side by side in one GEMM, since a lone image would leave most of its last micro-tile
    /// empty (36 positions fill 64 columns of 32-wide tiles).
    /// </summary>
    private unsafe void ConvolveImages(float* x, CpuBuffer packedWeights, float* bias, float* y, ConvGeometry g)
    {
        var layout = PaddedImages.LayoutOf(g, phased: true);
        using var padded = PaddedImages.Create(this, x, g, layout);
        int spatial = g.OutHeight * g.OutWidth;
        // Batched blocks span up to NC / spatial + 1 images, whose offsets must fit the packer's int runs.
        if (2 * spatial <= PackedGemm.NC && (PackedGemm.NC / spatial + 2) * layout.ImageSize < int.MaxValue)
            ConvolveImageBatches(padded.Pointer, layout, packedWeights, bias, y, g);
        else
            ConvolveEachImage(padded.Pointer, layout, packedWeights, bias, y, g);
    }

    /// <summary>One GEMM per (image, group, block of output positions), writing straight into y.</summary>
    private unsafe void ConvolveEachImage(float* x, PaddedImages.Layout layout, CpuBuffer packedWeights, float* bias, float* y, ConvGeometry g)
    {
        var path = Path;
        var (mr, nr) = PackedGemm.TileOf(path);
        int og = g.OutChannelsPerGroup, cg = g.InChannelsPerGroup, spatial = g.OutHeight * g.OutWidth;
        int kdim = cg * g.KernelHeight * g.KernelWidth;
        long packedLength = PrepackedA.Length(og, kdim, mr);
        int colTiles = (spatial + nr - 1) / nr;
        // Enough column blocks that each fits the packed-B buffer and every thread gets at least two work items.
        int colBlocks = Math.Max((spatial + PackedGemm.NC - 1) / PackedGemm.NC, (2 * Threads + g.Batch * g.Groups - 1) / Math.Max(g.Batch * g.Groups, 1));
        colBlocks = Math.Min(colBlocks, colTiles);
        nint xa = (nint)x, ba = (nint)bias, ya = (nint)y, wa = (nint)packedWeights.Pointer;
        ParallelItems(g.Batch * g.Groups * colBlocks, item =>
        {
            int n = item / (g.Groups * colBlocks), gi = item / colBlocks % g.Groups, cb = item % colBlocks;
            int j0 = colTiles * cb / colBlocks * nr, j1 = Math.Min(spatial, colTiles * (cb + 1) / colBlocks * nr);
            var a = new PrepackedA((float*)wa + gi * packedLength, (og + mr - 1) / mr * mr);
            var b = new ImageColumnsB((float*)xa + n * layout.ImageSize + gi * cg * layout.PlaneSize, g, layout);
            float* yout = (float*)ya + ((long)n * g.OutChannels + gi * og) * spatial;
            if (ba != 0)
            {
                // Bias first, then accumulate the product onto it while the block is still in cache: adding it after
                // the GEMM would stream the whole output through memory a second time.
                for (int o = 0; o < og; o++)
                    new Span<float>(yout + (long)o * spatial + j0, j1 - j0).Fill(((float*)ba)[gi * og + o]);
            }
            PackedGemm.Run(path, ref a, ref b, 0, og, j0, j1, kdim, ba != 0 ? 1f : 0f, yout, spatial);
        });
    }

    /// <summary>
    /// One GEMM per (group, block of columns) over the whole batch's output positions j = (image, oy, ox): the block is
    /// computed into a scratch matrix (bias first, as above) and its rows are then copied to each image's planes.
    /// </summary>
    private unsafe void ConvolveImageBatches(float* x, PaddedImages.Layout layout, CpuBuffer packedWeights, float* bias, float* y, ConvGeometry g)
    {
        var path = Path;
        var (mr, nr) = PackedGemm.TileOf(path);
        int og = g.OutChannelsPerGroup, cg = g.InChannelsPerGroup, spatial = g.OutHeight * g.OutWidth;
        int kdim = cg * g.KernelHeight * g.KernelWidth, columns = g.Batch * spatial;
        long packedLength = PrepackedA.Length(og, kdim, mr);
        // Blocks of whole micro-panels that fit the packed-B buffer, small enough that every thread gets two of them.
        int blockColumns = PackedGemm.NC;
        while (blockColumns > nr && g.Groups * ((columns + blockColumns - 1) / blockColumns) < 2 * Threads)
            blockColumns = Math.Max(nr, (blockColumns / 2 + nr - 1) / nr * nr);
        int blocks = (columns + blockColumns - 1) / blockColumns;
        nint xa = (nint)x, ba = (nint)bias, ya = (nint)y, wa = (nint)packedWeights.Pointer;
        ParallelItems(g.Groups * blocks, item =>
        {
            int gi = item / blocks, j0 = item % blocks * blockColumns, j1 = Math.Min(columns, j0 + blockColumns), width = j1 - j0;
            var a = new PrepackedA((float*)wa + gi * packedLength, (og + mr - 1) / mr * mr);
            var b = new ImageColumnsB((float*)xa + gi * cg * layout.PlaneSize, g, layout);
            using var block = Rent(og * width);
            float* c = block.Pointer;
            if (ba != 0)
            {
                for (int o = 0; o < og; o++) new Span<float>(c + o * width, width).Fill(((float*)ba)[gi * og + o]);
            }
            // C is addressed by absolute column (c − j0 + j); only columns [j0, j1) are touched.
            PackedGemm.Run(path, ref a, ref b, 0, og, j0, j1, kdim, ba != 0 ? 1f : 0f, c - j0, width);
            for (int j = j0; j < j1;)
            {
                int n = j / spatial, position = j % spatial, length = Math.Min(spatial - position, j1 - j);
                float* yout = (float*)ya + ((long)n * g.OutChannels + gi * og) * spatial + position;
                for (int o = 0; o < og; o++)
                    new ReadOnlySpan<float>(c + o * width + (j - j0), length).CopyTo(new Span<float>(yout + (long)o * spatial, length));
                j += length;
            }
        });
    }

    /// <summary>Data gradient for strided convolutions: col = W_gᵀ·dy_g per image, then folded back (col2im).</summary>
    private unsafe void BackwardDataByFolding(float* dy, float* w, float* dx, ConvGeometry g)
    {
        var path = Path;
        var (mr, _) = PackedGemm.TileOf(path);
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup, spatial = g.OutHeight * g.OutWidth;
        int kdim = cg * g.KernelHeight * g.KernelWidth, plane = g.InHeight * g.InWidth;
        using var packed = PrepackWeights(g.Groups, kdim, og, (gi, mrr, dst) =>
        {
            var source = new MatrixA(true, w + (long)gi * og * kdim, kdim, 1f);
            PrepackedA.Pack(ref source, kdim, og, mrr, dst);
        });
        long packedLength = PrepackedA.Length(kdim, og, mr);
        nint ga = (nint)dy, da = (nint)dx, wa = (nint)packed.Pointer;
        int chunks = Math.Max(1, Math.Min(Threads, g.Batch));
        ForChunks(g.Batch, chunks, (_, start, end) =>
        {
            using var colBuffer = Rent(Math.Max(kdim * spatial, 1));
            float* col = colBuffer.Pointer;
            for (int n = start; n < end; n++)
            {
                float* dxn = (float*)da + (long)n * g.InChannels * plane;
                new Span<float>(dxn, g.InChannels * plane).Clear();
                for (int gi = 0; gi < g.Groups; gi++)
                {
                    var a = new PrepackedA((float*)wa + gi * packedLength, (kdim + mr - 1) / mr * mr);
                    var b = new MatrixB(false, (float*)ga + ((long)n * g.OutChannels + gi * og) * spatial, spatial);
                    PackedGemm.Run(path, ref a, ref b, 0, kdim, 0, spatial, og, 0f, col, spatial);
                    Col2Im.Fold(col, cg, g, dxn + (long)gi * cg * plane);
                }
            }
        });
    }

    /// <summary>Packs one m×k weight operand per group into a pooled buffer (the caller disposes it).</summary>
    private unsafe CpuBuffer PrepackWeights(int groups, int m, int k, PackGroup pack)
    {
        int mr = PackedGemm.TileOf(Path).Rows;
        long length = PrepackedA.Length(m, k, mr);
        if (groups * length > int.MaxValue) throw new ArgumentException($"Convolution weights of {groups}×{m}×{k} are too large to pack.");
        var buffer = Rent((int)Math.Max(groups * length, 1));
        nint dst = (nint)buffer.Pointer;
        ParallelItems(groups, gi => pack(gi, mr, (float*)dst + gi * length));
        return buffer;
    }

    /// <summary>Splits each group's m×n output into row and column parts so that all threads have work.</summary>
    private (int Rows, int Columns) Split(int groups, int m, int n, int mr, int nr)
    {
        int rowParts = 1, colParts = 1, colTiles = (n + nr - 1) / nr, rowTiles = (m + mr - 1) / mr;
        while (groups * rowParts * colParts < Threads)
        {
            if (colParts < colTiles && (colTiles / (colParts + 1) >= rowTiles / (rowParts + 1) || rowParts >= rowTiles)) colParts++;
            else if (rowParts < rowTiles) rowParts++;
            else break;
        }
        return (rowParts, colParts);
    }

    /// <summary>Runs independent work items on all threads (dynamic scheduling; inline when there is only one).</summary>
    private void ParallelItems(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || Threads == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, _parallel, body);
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

    /// <summary>The geometry's own rule, the same for every backend and for <c>Ops</c>.</summary>
    private static void Validate(in ConvGeometry g) => g.Validate();

    private unsafe delegate void PackGroup(int group, int mr, float* destination);
}
