using System.Numerics.Tensors;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    // Innermost rows longer than this are split so that even one long row uses every core.
    private const int SegmentLength = 1 << 15;

    /// <inheritdoc/>
    void IBackend.Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape)
    {
        var layout = BroadcastLayout.Create(yShape, aShape, bShape);
        var ax = Cpu(a, aShape.Count).Array;
        var bx = Cpu(b, bShape.Count).Array;
        var yx = Cpu(y, yShape.Count).Array;
        if (yShape.Count == 0) return;
        bool aFull = layout.StrideA[^1] != 0, bFull = layout.StrideB[^1] != 0;
        ForSegments(layout.Rows, layout.Inner, (row, start, length) =>
        {
            var (oa, ob) = layout.RowOffsets(row);
            int oy = row * layout.Inner + start;
            var dst = new Span<float>(yx, oy, length);
            if (aFull) oa += start;
            if (bFull) ob += start;
            BinaryKernels.Apply(op, ax, oa, aFull, bx, ob, bFull, dst);
        });
    }

    /// <inheritdoc/>
    void IBackend.Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape)
    {
        var layout = BroadcastLayout.Create(yShape, xShape, null);
        var xs = Cpu(x, xShape.Count).Array;
        var ys = Cpu(y, yShape.Count).Array;
        if (yShape.Count == 0) return;
        bool full = layout.StrideA[^1] != 0;
        ForSegments(layout.Rows, layout.Inner, (row, start, length) =>
        {
            int ox = layout.RowOffsets(row).A;
            var dst = new Span<float>(ys, row * layout.Inner + start, length);
            if (full) new ReadOnlySpan<float>(xs, ox + start, length).CopyTo(dst);
            else dst.Fill(xs[ox]);
        });
    }

    /// <inheritdoc/>
    void IBackend.Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape)
    {
        if (op is not (ReduceKernel.Sum or ReduceKernel.Max)) throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction.");
        var layout = BroadcastLayout.Create(xShape, xShape, yShape);
        var xs = Cpu(x, xShape.Count).Array;
        var ys = Cpu(y, yShape.Count).Array;
        bool max = op == ReduceKernel.Max;
        var init = max ? float.NegativeInfinity : 0f;
        ys.AsSpan(0, yShape.Count).Fill(init);
        if (xShape.Count == 0) return;
        int inner = layout.Inner, rows = layout.Rows;
        if (layout.StrideB[^1] != 0)
        {
            // The innermost axis is kept: each thread owns a band of output columns and folds every row into it.
            For(inner, 1 << 12, (s, e) =>
            {
                for (int row = 0; row < rows; row++)
                {
                    var (ox, oy) = layout.RowOffsets(row);
                    var src = new ReadOnlySpan<float>(xs, ox + s, e - s);
                    var dst = new Span<float>(ys, oy + s, e - s);
                    if (max) TensorPrimitives.Max(dst, src, dst);
                    else TensorPrimitives.Add(dst, src, dst);
                }
            });
            return;
        }
        // The innermost axis is reduced: reduce every segment in parallel, then fold the partials in order (deterministic).
        int perRow = (inner + SegmentLength - 1) / SegmentLength;
        var partials = Rent(rows * perRow);
        try
        {
            var ps = partials.Array;
            ForSegments(rows, inner, (row, start, length) =>
            {
                var src = new ReadOnlySpan<float>(xs, layout.RowOffsets(row).A + start, length);
                ps[row * perRow + start / SegmentLength] = max ? TensorPrimitives.Max(src) : TensorPrimitives.Sum(src);
            });
            for (int row = 0; row < rows; row++)
            {
                int oy = layout.RowOffsets(row).B;
                for (int s = 0; s < perRow; s++)
                {
                    float v = ps[row * perRow + s];
                    ys[oy] = max ? Math.Max(ys[oy], v) : ys[oy] + v;
                }
            }
        }
        finally
        {
            partials.Dispose();
        }
    }

    /// <summary>Runs <paramref name="body"/>(row, start, length) over every innermost row, long rows cut into segments.</summary>
    private void ForSegments(int rows, int inner, Action<int, int, int> body)
    {
        int perRow = (inner + SegmentLength - 1) / SegmentLength;
        int segment = Math.Min(inner, SegmentLength);
        For(rows * perRow, Math.Max(1, SegmentLength / Math.Max(segment, 1)), (s, e) =>
        {
            for (int item = s; item < e; item++)
            {
                int row = item / perRow, start = item % perRow * SegmentLength;
                body(row, start, Math.Min(SegmentLength, inner - start));
            }
        });
    }
}
