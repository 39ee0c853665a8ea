using System.Runtime.InteropServices;

namespace AlexNet.Gpu.Kernels;

/// <summary>
/// The <c>Reduction</c> kernel parameter: kept axes (one output element each, row-major) and reduced axes, each with
/// the input's strides. Layout matches the CUDA struct.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ReductionGeometry
{
    /// <summary>Number of kept axes.</summary>
    public int OutRank;
    /// <summary>Kept dimensions.</summary>
    public fixed int OutDims[KernelSource.MaxRank];
    /// <summary>Input strides of the kept axes.</summary>
    public fixed int OutStrides[KernelSource.MaxRank];
    /// <summary>Number of reduced axes.</summary>
    public int RedRank;
    /// <summary>Reduced dimensions.</summary>
    public fixed int RedDims[KernelSource.MaxRank];
    /// <summary>Input strides of the reduced axes.</summary>
    public fixed int RedStrides[KernelSource.MaxRank];

    /// <summary>Splits the input axes into kept (output dim equals input dim) and reduced (output dim 1).</summary>
    public static ReductionGeometry Create(int[] xDims, int[] yDims, out int outCount, out int redCount)
    {
        var xStrides = AxisMerger.RowMajorStrides(xDims);
        var keptDims = new List<int>();
        var keptStrides = new List<int>();
        var redDims = new List<int>();
        var redStrides = new List<int>();
        outCount = 1;
        redCount = 1;
        for (int i = 0; i < xDims.Length; i++)
        {
            if (yDims[i] == xDims[i])
            {
                keptDims.Add(xDims[i]);
                keptStrides.Add(xStrides[i]);
                outCount *= xDims[i];
            }
            else
            {
                redDims.Add(xDims[i]);
                redStrides.Add(xStrides[i]);
                redCount *= xDims[i];
            }
        }
        var (kd, ks) = AxisMerger.Merge([.. keptDims], [[.. keptStrides]]);
        var (rd, rs) = AxisMerger.Merge([.. redDims], [[.. redStrides]]);
        var g = new ReductionGeometry { OutRank = kd.Length, RedRank = rd.Length };
        for (int i = 0; i < kd.Length; i++)
        {
            g.OutDims[i] = kd[i];
            g.OutStrides[i] = ks[0][i];
        }
        for (int i = 0; i < rd.Length; i++)
        {
            g.RedDims[i] = rd[i];
            g.RedStrides[i] = rs[0][i];
        }
        return g;
    }
}
