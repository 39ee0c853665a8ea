using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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
    // Fully optimised from the first call: at tier 0 (and OSR) packing ran several times slower, which halved
    // 512²/1024² throughput until tiering caught up—the cost looked like poor two-thread scaling.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, int ldb, int p0, int j0, int kc, int cols, int nr, float* dst)
    {
        if (!transB)
        {
            // op(B)[p, j] = B[p, j]: each step is a contiguous run of columns. Bands of 8 steps keep both sides sequential:
            // the 8 source rows are read front to back, and each micro-panel receives 8 consecutive steps at a time.
            for (int pb = 0; pb < kc; pb += 8)
            {
                int pe = Math.Min(kc, pb + 8);
                for (int jr = 0; jr < cols; jr += nr)
                {
                    int width = Math.Min(nr, cols - jr);
                    float* panel = dst + (long)(jr / nr) * kc * nr;
                    for (int p = pb; p < pe; p++)
                    {
                        float* d = panel + p * nr;
                        SmallCopy.Contiguous(b + (long)(p0 + p) * ldb + j0 + jr, d, width);
                        if (width < nr) SmallCopy.Clear(d + width, nr - width);
                    }
                }
            }
            return;
        }
        for (int jr = 0; jr < cols; jr += nr)
        {
            int width = Math.Min(nr, cols - jr);
            float* panel = dst + (long)(jr / nr) * kc * nr;
            // op(B)[p, j] = B[j, p]: each column is a contiguous run of steps; transpose 8×8 blocks in registers.
            int j8 = Avx.IsSupported ? width & ~7 : 0, p8 = Avx.IsSupported ? kc & ~7 : 0;
            for (int j = 0; j < j8; j += 8)
            {
                float* src = b + (long)(j0 + jr + j) * ldb + p0;
                for (int p = 0; p < p8; p += 8) Transpose8x8(src + p, ldb, panel + p * nr + j, nr);
            }
            for (int j = 0; j < width; j++)
            {
                float* src = b + (long)(j0 + jr + j) * ldb + p0;
                for (int p = j < j8 ? p8 : 0; p < kc; p++) panel[p * nr + j] = src[p];
            }
            for (int j = width; j < nr; j++)
            {
                for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
            }
        }
    }

    /// <summary>Writes the transpose of the 8×8 block at <paramref name="src"/> (row stride <paramref name="lds"/>) to <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, int lds, float* dst, int ldd)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2L * lds);
        var r3 = Avx.LoadVector256(src + 3L * lds);
        var r4 = Avx.LoadVector256(src + 4L * lds);
        var r5 = Avx.LoadVector256(src + 5L * lds);
        var r6 = Avx.LoadVector256(src + 6L * lds);
        var r7 = Avx.LoadVector256(src + 7L * lds);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2L * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3L * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4L * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5L * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6L * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7L * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }
}
