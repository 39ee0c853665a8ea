using System.Runtime.InteropServices;

namespace AlexNet.Gpu.Kernels;

/// <summary>
/// The <c>Strided</c> kernel parameter: an output iteration space (row-major dims) and up to two operands' element
/// strides per axis (0 on broadcast axes). Layout matches the CUDA struct: int, then three int[8].
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StridedGeometry
{
    /// <summary>Number of axes in use.</summary>
    public int Rank;
    /// <summary>Output dimensions.</summary>
    public fixed int Dims[KernelSource.MaxRank];
    /// <summary>First operand strides.</summary>
    public fixed int A[KernelSource.MaxRank];
    /// <summary>Second operand strides.</summary>
    public fixed int B[KernelSource.MaxRank];

    /// <summary>Builds the geometry after dropping size-1 axes and merging axes contiguous in every operand.</summary>
    /// <exception cref="NotSupportedException">More than <see cref="KernelSource.MaxRank"/> axes remain.</exception>
    public static StridedGeometry Create(int[] dims, int[] a, int[]? b = null)
    {
        var operands = b is null ? new[] { a } : new[] { a, b };
        var (d, s) = AxisMerger.Merge(dims, operands);
        var g = new StridedGeometry { Rank = d.Length };
        for (int i = 0; i < d.Length; i++)
        {
            g.Dims[i] = d[i];
            g.A[i] = s[0][i];
            g.B[i] = b is null ? 0 : s[1][i];
        }
        return g;
    }
}
