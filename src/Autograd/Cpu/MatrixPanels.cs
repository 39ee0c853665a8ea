namespace AlexNet.Autograd.Cpu;

/// <summary>op(A) read from a row-major matrix (transposed when <see cref="Transposed"/>), scaled by alpha while packing.</summary>
internal readonly unsafe struct MatrixA(bool transposed, float* data, int leadingDimension, float alpha) : IPanelSourceA
{
    /// <inheritdoc/>
    public static bool IsPrepacked => false;

    /// <summary>True when A is stored k×m.</summary>
    public bool Transposed { get; } = transposed;

    /// <inheritdoc/>
    public float* Panel(int i0, int p0, int rows, int kc, int mr, float* scratch)
    {
        GemmPacking.PackA(Transposed, data, leadingDimension, i0, p0, rows, kc, mr, alpha, scratch);
        return scratch;
    }
}

/// <summary>op(B) read from a row-major matrix (transposed when <see cref="Transposed"/>).</summary>
internal readonly unsafe struct MatrixB(bool transposed, float* data, int leadingDimension) : IPanelSourceB
{
    /// <summary>True when B is stored n×k.</summary>
    public bool Transposed { get; } = transposed;

    /// <inheritdoc/>
    public void Pack(int p0, int j0, int kc, int cols, int nr, float* destination) =>
        GemmPacking.PackB(Transposed, data, leadingDimension, p0, j0, kc, cols, nr, destination);
}

/// <summary>
/// op(A) packed once up front in the driver's order (for each k block, every micro-panel): reused by many GEMMs, such
/// as convolution weights across a batch, so that no call repacks it.
/// </summary>
internal readonly unsafe struct PrepackedA(float* data, int paddedRows) : IPanelSourceA
{
    /// <inheritdoc/>
    public static bool IsPrepacked => true;

    /// <summary>Floats needed to prepack an m×k operand for micro-panels of <paramref name="mr"/> rows.</summary>
    public static long Length(int m, int k, int mr) => (long)((m + mr - 1) / mr * mr) * k;

    /// <summary>Packs all of <paramref name="source"/> (m×k) into <paramref name="destination"/>.</summary>
    public static PrepackedA Pack<TA>(ref TA source, int m, int k, int mr, float* destination)
        where TA : struct, IPanelSourceA
    {
        int padded = (m + mr - 1) / mr * mr;
        for (int pc = 0; pc < k; pc += PackedGemm.KC)
        {
            int kc = Math.Min(PackedGemm.KC, k - pc);
            for (int ir = 0; ir < m; ir += mr)
            {
                float* dst = destination + (long)pc * padded + (long)ir * kc;
                float* got = source.Panel(ir, pc, Math.Min(mr, m - ir), kc, mr, dst);
                if (got != dst) Buffer.MemoryCopy(got, dst, (long)mr * kc * sizeof(float), (long)mr * kc * sizeof(float));
            }
        }
        return new PrepackedA(destination, padded);
    }

    /// <inheritdoc/>
    public float* Panel(int i0, int p0, int rows, int kc, int mr, float* scratch) => data + (long)p0 * paddedRows + (long)i0 * kc;
}
