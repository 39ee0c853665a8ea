using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    void IBackend.Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y)
    {
        int rank = xShape.Rank;
        if (perm.Length != rank) throw new ArgumentException($"Permutation of length {perm.Length} for shape {xShape} of rank {rank}.", nameof(perm));
        var seen = new bool[rank];
        foreach (int p in perm)
        {
            if (p < 0 || p >= rank || seen[p]) throw new ArgumentException($"[{string.Join(", ", perm.ToArray())}] is not a permutation of the axes of {xShape}.", nameof(perm));
            seen[p] = true;
        }
        int count = xShape.Count;
        var xs = Cpu(x, count).Array;
        var ys = Cpu(y, count).Array;
        if (count == 0) return;
        var xStrides = xShape.Strides();
        var dims = new int[rank];
        var strides = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = xShape[perm[i]];
            strides[i] = xStrides[perm[i]];
        }
        if (rank == 0)
        {
            ys[0] = xs[0];
            return;
        }
        int inner = dims[^1], innerStride = strides[^1], rows = count / inner;
        For(rows, Math.Max(1, (1 << 14) / inner), (s, e) =>
        {
            for (int row = s; row < e; row++)
            {
                int ox = 0, r = row;
                for (int d = rank - 2; d >= 0; d--)
                {
                    ox += r % dims[d] * strides[d];
                    r /= dims[d];
                }
                int oy = row * inner;
                for (int i = 0; i < inner; i++) ys[oy + i] = xs[ox + i * innerStride];
            }
        });
    }

    /// <inheritdoc/>
    void IBackend.CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset,
                              DeviceBuffer destination, Shape destinationShape, int destinationOffset, int axis, int length)
    {
        if (sourceShape.Rank != destinationShape.Rank)
            throw new ArgumentException($"Source shape {sourceShape} and destination shape {destinationShape} differ in rank.");
        axis = sourceShape.NormalizeAxis(axis);
        for (int d = 0; d < sourceShape.Rank; d++)
        {
            if (d != axis && sourceShape[d] != destinationShape[d])
                throw new ArgumentException($"Source shape {sourceShape} and destination shape {destinationShape} differ on axis {d}, which is not the copy axis {axis}.");
        }
        if (length < 0 || sourceOffset < 0 || destinationOffset < 0
            || sourceOffset + length > sourceShape[axis] || destinationOffset + length > destinationShape[axis])
            throw new ArgumentException($"Range of {length} from {sourceOffset} in {sourceShape} to {destinationOffset} in {destinationShape} along axis {axis} is out of bounds.");
        var s = Cpu(source, sourceShape.Count).Array;
        var d2 = Cpu(destination, destinationShape.Count).Array;
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= sourceShape[d];
        for (int d = axis + 1; d < sourceShape.Rank; d++) inner *= sourceShape[d];
        int block = length * inner, sRow = sourceShape[axis] * inner, dRow = destinationShape[axis] * inner;
        if (block == 0) return;
        For(outer, Math.Max(1, (1 << 15) / block), (lo, hi) =>
        {
            for (int o = lo; o < hi; o++)
                new ReadOnlySpan<float>(s, o * sRow + sourceOffset * inner, block).CopyTo(new Span<float>(d2, o * dRow + destinationOffset * inner, block));
        });
    }
}
