namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded micro-panel layout the GEMM micro-kernels read:
/// an A micro-panel is step-major with <c>mr</c> rows per step, a B block is a run of micro-panels, each step-major with
/// <c>nr</c> columns per step. Transposed operands are gathered here, so the micro-kernels never see a stride.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i0 + rows) and steps [p0, p0 + kc) of op(A), scaled by alpha, into one micro-panel of
    /// <paramref name="mr"/> rows (rows ≥ <paramref name="rows"/> are zero).
    /// </summary>
    public static void PackA(bool transA, float* a, int lda, int i0, int p0, int rows, int kc, int mr, float alpha, float* dst)
    {
        if (transA)
        {
            // op(A)[i, p] = A[p, i]: each step is a contiguous run of rows.
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (long)(p0 + p) * lda + i0;
                float* d = dst + p * mr;
                int r = 0;
                for (; r < rows; r++) d[r] = alpha * src[r];
                for (; r < mr; r++) d[r] = 0f;
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            float* src = a + (long)(i0 + r) * lda + p0;
            for (int p = 0; p < kc; p++) dst[p * mr + r] = alpha * src[p];
        }
        for (int r = rows; r < mr; r++)
        {
            for (int p = 0; p < kc; p++) dst[p * mr + r] = 0f;
        }
    }

    /// <summary>
    /// Packs steps [p0, p0 + kc) and columns [j0, j0 + cols) of op(B) into ⌈cols / nr⌉ micro-panels of
    /// <paramref name="nr"/> columns, each kc·nr long (columns past the end are zero).
    /// </summary>
    public static void PackB(bool transB, float* b, int ldb, int p0, int j0, int kc, int cols, int nr, float* dst)
    {
        for (int jr = 0; jr < cols; jr += nr)
        {
            int width = Math.Min(nr, cols - jr);
            float* panel = dst + (long)(jr / nr) * kc * nr;
            if (!transB)
            {
                // op(B)[p, j] = B[p, j]: each step is a contiguous run of columns.
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(p0 + p) * ldb + j0 + jr;
                    float* d = panel + p * nr;
                    if (width == nr) new ReadOnlySpan<float>(src, nr).CopyTo(new Span<float>(d, nr));
                    else
                    {
                        new ReadOnlySpan<float>(src, width).CopyTo(new Span<float>(d, width));
                        new Span<float>(d + width, nr - width).Clear();
                    }
                }
                continue;
            }
            for (int j = 0; j < width; j++)
            {
                float* src = b + (long)(j0 + jr + j) * ldb + p0;
                for (int p = 0; p < kc; p++) panel[p * nr + j] = src[p];
            }
            for (int j = width; j < nr; j++)
            {
                for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
            }
        }
    }
}
