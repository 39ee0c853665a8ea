namespace AlexNet.Gpu.Kernels;

/// <summary>
/// Simplifies a strided iteration space: drops size-1 axes and merges neighbouring axes that are contiguous in every
/// operand (stride of the outer axis = stride of the inner axis × inner size), so most tensors reach the kernels with
/// rank 1–3.
/// </summary>
internal static class AxisMerger
{
    /// <summary>Row-major element strides of <paramref name="dims"/>.</summary>
    public static int[] RowMajorStrides(int[] dims)
    {
        var s = new int[dims.Length];
        int acc = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /// <summary>Merges axes; returns the new dims and each operand's new strides.</summary>
    /// <exception cref="NotSupportedException">More than <see cref="KernelSource.MaxRank"/> axes remain.</exception>
    public static (int[] Dims, int[][] Strides) Merge(int[] dims, int[][] strides)
    {
        var d = new List<int>();
        var s = strides.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 1) continue;
            int last = d.Count - 1;
            bool merge = last >= 0;
            for (int o = 0; merge && o < strides.Length; o++)
            {
                merge = s[o][last] == strides[o][i] * dims[i];
            }
            if (merge)
            {
                d[last] *= dims[i];
                for (int o = 0; o < strides.Length; o++) s[o][last] = strides[o][i];
            }
            else
            {
                d.Add(dims[i]);
                for (int o = 0; o < strides.Length; o++) s[o].Add(strides[o][i]);
            }
        }
        if (d.Count > KernelSource.MaxRank)
        {
            throw new NotSupportedException(
                $"The CUDA backend's strided kernels handle at most {KernelSource.MaxRank} non-mergeable axes; this operation needs {d.Count} " +
                $"(dims [{string.Join(", ", dims)}]).");
        }
        return (d.ToArray(), s.Select(l => l.ToArray()).ToArray());
    }
}
