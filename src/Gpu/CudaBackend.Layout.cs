using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Kernels;

namespace AlexNet.Gpu;

public sealed partial class CudaBackend
{
    private const int ThreadReductionLimit = 128;

    /// <inheritdoc/>
    unsafe void IBackend.Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape)
    {
        ArgumentNullException.ThrowIfNull(aShape);
        ArgumentNullException.ThrowIfNull(bShape);
        ArgumentNullException.ThrowIfNull(yShape);
        int code = op switch
        {
            BinaryKernel.Add => 0,
            BinaryKernel.Sub => 1,
            BinaryKernel.Mul => 2,
            BinaryKernel.Div => 3,
            BinaryKernel.Equal => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary kernel."),
        };
        CheckBroadcast(aShape, yShape, nameof(aShape));
        CheckBroadcast(bShape, yShape, nameof(bShape));
        EnsureCurrent();
        nint pa = Ptr(a, aShape.Count, nameof(a));
        nint pb = Ptr(b, bShape.Count, nameof(b));
        nint py = Ptr(y, yShape.Count, nameof(y));
        int n = yShape.Count;
        if (n == 0) return;
        if (aShape == yShape && bShape == yShape)
        {
            void** same = stackalloc void*[] { &code, &pa, &pb, &py, &n };
            _kernels.Launch("k_binary_same", n, _streamValue, same);
            return;
        }
        var g = StridedGeometry.Create(yShape.ToArray(), BroadcastStrides(aShape), BroadcastStrides(bShape));
        void** args = stackalloc void*[] { &code, &pa, &pb, &py, &n, &g };
        _kernels.Launch("k_binary", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape)
    {
        ArgumentNullException.ThrowIfNull(xShape);
        ArgumentNullException.ThrowIfNull(yShape);
        int code = op switch
        {
            ReduceKernel.Sum => 0,
            ReduceKernel.Max => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction."),
        };
        CheckBroadcast(yShape, xShape, nameof(yShape));
        EnsureCurrent();
        nint px = Ptr(x, xShape.Count, nameof(x));
        nint py = Ptr(y, yShape.Count, nameof(y));
        var g = ReductionGeometry.Create(xShape.ToArray(), yShape.ToArray(), out int outCount, out int redCount);
        if (outCount == 0) return;
        void** args = stackalloc void*[] { &code, &px, &py, &outCount, &redCount, &g };
        if (redCount < ThreadReductionLimit) _kernels.Launch("k_reduce_thread", outCount, _streamValue, args);
        else _kernels.LaunchRows("k_reduce_block", outCount, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape)
    {
        ArgumentNullException.ThrowIfNull(xShape);
        ArgumentNullException.ThrowIfNull(yShape);
        CheckBroadcast(xShape, yShape, nameof(xShape));
        EnsureCurrent();
        nint px = Ptr(x, xShape.Count, nameof(x));
        nint py = Ptr(y, yShape.Count, nameof(y));
        int n = yShape.Count;
        if (n == 0) return;
        var g = StridedGeometry.Create(yShape.ToArray(), BroadcastStrides(xShape));
        void** args = stackalloc void*[] { &px, &py, &n, &g };
        _kernels.Launch("k_gather", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y)
    {
        ArgumentNullException.ThrowIfNull(xShape);
        int rank = xShape.Rank;
        if (perm.Length != rank)
        {
            throw new ArgumentException($"Permutation of length {perm.Length} for shape {xShape} of rank {rank}.", nameof(perm));
        }
        var seen = new bool[rank];
        var xDims = xShape.ToArray();
        var xStrides = xShape.Strides();
        var yDims = new int[rank];
        var gathered = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int p = perm[i];
            if (p < 0 || p >= rank || seen[p])
            {
                throw new ArgumentException($"[{string.Join(", ", perm.ToArray())}] is not a permutation of the axes of {xShape}.", nameof(perm));
            }
            seen[p] = true;
            yDims[i] = xDims[p];
            gathered[i] = xStrides[p];
        }
        EnsureCurrent();
        nint px = Ptr(x, xShape.Count, nameof(x));
        nint py = Ptr(y, xShape.Count, nameof(y));
        int n = xShape.Count;
        if (n == 0) return;
        var g = StridedGeometry.Create(yDims, gathered);
        void** args = stackalloc void*[] { &px, &py, &n, &g };
        _kernels.Launch("k_gather", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset,
                                     DeviceBuffer destination, Shape destinationShape, int destinationOffset, int axis, int length)
    {
        ArgumentNullException.ThrowIfNull(sourceShape);
        ArgumentNullException.ThrowIfNull(destinationShape);
        axis = sourceShape.NormalizeAxis(axis);
        if (sourceShape.Rank != destinationShape.Rank)
        {
            throw new ArgumentException($"Source shape {sourceShape} and destination shape {destinationShape} differ in rank.");
        }
        for (int d = 0; d < sourceShape.Rank; d++)
        {
            if (d != axis && sourceShape[d] != destinationShape[d])
            {
                throw new ArgumentException(
                    $"Source shape {sourceShape} and destination shape {destinationShape} differ on axis {d}, which is not the copy axis {axis}.");
            }
        }
        if (length < 0 || sourceOffset < 0 || destinationOffset < 0 ||
            sourceOffset + (long)length > sourceShape[axis] || destinationOffset + (long)length > destinationShape[axis])
        {
            throw new ArgumentException(
                $"Range of {length} from {sourceOffset} in {sourceShape} to {destinationOffset} in {destinationShape} along axis {axis} is out of bounds.");
        }
        EnsureCurrent();
        nint ps = Ptr(source, sourceShape.Count, nameof(source));
        nint pd = Ptr(destination, destinationShape.Count, nameof(destination));
        int outer = 1;
        for (int d = 0; d < axis; d++) outer *= sourceShape[d];
        int inner = 1;
        for (int d = axis + 1; d < sourceShape.Rank; d++) inner *= sourceShape[d];
        long total = (long)outer * length * inner;
        if (total == 0) return;
        int n = (int)total;
        int len = length;
        int srcAxis = sourceShape[axis];
        int dstAxis = destinationShape[axis];
        int srcOff = sourceOffset;
        int dstOff = destinationOffset;
        void** args = stackalloc void*[] { &ps, &pd, &n, &len, &inner, &srcAxis, &dstAxis, &srcOff, &dstOff };
        _kernels.Launch("k_copy_axis", n, _streamValue, args);
    }

    /// <summary>Row-major strides of <paramref name="shape"/> with 0 on its size-1 axes (which broadcast).</summary>
    private static int[] BroadcastStrides(Shape shape)
    {
        var s = shape.Strides();
        for (int i = 0; i < s.Length; i++)
        {
            if (shape[i] == 1) s[i] = 0;
        }
        return s;
    }

    /// <summary>Checks that <paramref name="small"/> has <paramref name="full"/>'s rank and each dimension equal or 1.</summary>
    private static void CheckBroadcast(Shape small, Shape full, string name)
    {
        if (small.Rank != full.Rank)
        {
            throw new ArgumentException($"Shapes {small} and {full} differ in rank; broadcasting here needs equal ranks.", name);
        }
        for (int i = 0; i < small.Rank; i++)
        {
            if (small[i] != full[i] && small[i] != 1)
            {
                throw new ArgumentException($"Shape {small} does not broadcast to {full} (axis {i}: {small[i]} vs {full[i]}).", name);
            }
        }
    }
}
