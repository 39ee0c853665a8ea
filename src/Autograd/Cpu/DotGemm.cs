using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// GEMM for C = alpha·A·Bᵀ + beta·C with few rows in A (a dense layer's forward, y = x·Wᵀ, at small batch): every
/// C element is a dot product of two contiguous rows, so a 4×4 block of them is accumulated in 16 vector registers
/// straight from A and B, with no packing. Packing Bᵀ would cost a transpose per element of B, which small m cannot
/// amortise.
/// </summary>
internal static unsafe class DotGemm
{
    /// <summary>Steps per k block: 4 rows of A and 4 of B over this many steps stay in L1/L2 across a block row.</summary>
    private const int KBlock = 1024;

    /// <summary>
    /// Computes columns [<paramref name="j0"/>, <paramref name="j1"/>) of C (m rows) on the calling thread.
    /// A is m×k (row stride lda), B is n×k (row stride ldb). With beta = 0, C is never read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int m, int j0, int j1, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        var sums = stackalloc float[16];
        for (int pc = 0; pc < Math.Max(k, 1); pc += KBlock)
        {
            int kc = Math.Min(KBlock, k - pc);
            float scale = pc == 0 ? beta : 1f;
            for (int j = j0; j < j1; j += 4)
            {
                int cols = Math.Min(4, j1 - j);
                for (int i = 0; i < m; i += 4)
                {
                    int rows = Math.Min(4, m - i);
                    Block(kc, a + (long)i * lda + pc, lda, rows, b + (long)j * ldb + pc, ldb, cols, sums);
                    for (int r = 0; r < rows; r++)
                    {
                        float* crow = c + (long)(i + r) * ldc + j;
                        for (int q = 0; q < cols; q++)
                        {
                            float v = alpha * sums[r * 4 + q];
                            crow[q] = scale == 0f ? v : scale == 1f ? crow[q] + v : scale * crow[q] + v;
                        }
                    }
                }
            }
        }
    }

    /// <summary>sums[r·4 + q] = Σ_p a_r[p]·b_q[p] for up to 4 rows of each (missing rows repeat row 0; their sums are unused).</summary>
    private static void Block(int kc, float* a, int lda, int rows, float* b, int ldb, int cols, float* sums)
    {
        float* a0 = a, a1 = rows > 1 ? a + lda : a, a2 = rows > 2 ? a + 2L * lda : a, a3 = rows > 3 ? a + 3L * lda : a;
        float* b0 = b, b1 = cols > 1 ? b + ldb : b, b2 = cols > 2 ? b + 2L * ldb : b, b3 = cols > 3 ? b + 3L * ldb : b;
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        int p = 0;
        for (; p <= kc - 16; p += 16)
        {
            var v0 = Vector512.Load(b0 + p);
            var v1 = Vector512.Load(b1 + p);
            var v2 = Vector512.Load(b2 + p);
            var v3 = Vector512.Load(b3 + p);
            var u = Vector512.Load(a0 + p);
            s00 = Vector512.FusedMultiplyAdd(u, v0, s00); s01 = Vector512.FusedMultiplyAdd(u, v1, s01);
            s02 = Vector512.FusedMultiplyAdd(u, v2, s02); s03 = Vector512.FusedMultiplyAdd(u, v3, s03);
            u = Vector512.Load(a1 + p);
            s10 = Vector512.FusedMultiplyAdd(u, v0, s10); s11 = Vector512.FusedMultiplyAdd(u, v1, s11);
            s12 = Vector512.FusedMultiplyAdd(u, v2, s12); s13 = Vector512.FusedMultiplyAdd(u, v3, s13);
            u = Vector512.Load(a2 + p);
            s20 = Vector512.FusedMultiplyAdd(u, v0, s20); s21 = Vector512.FusedMultiplyAdd(u, v1, s21);
            s22 = Vector512.FusedMultiplyAdd(u, v2, s22); s23 = Vector512.FusedMultiplyAdd(u, v3, s23);
            u = Vector512.Load(a3 + p);
            s30 = Vector512.FusedMultiplyAdd(u, v0, s30); s31 = Vector512.FusedMultiplyAdd(u, v1, s31);
            s32 = Vector512.FusedMultiplyAdd(u, v2, s32); s33 = Vector512.FusedMultiplyAdd(u, v3, s33);
        }
        sums[0] = Vector512.Sum(s00); sums[1] = Vector512.Sum(s01); sums[2] = Vector512.Sum(s02); sums[3] = Vector512.Sum(s03);
        sums[4] = Vector512.Sum(s10); sums[5] = Vector512.Sum(s11); sums[6] = Vector512.Sum(s12); sums[7] = Vector512.Sum(s13);
        sums[8] = Vector512.Sum(s20); sums[9] = Vector512.Sum(s21); sums[10] = Vector512.Sum(s22); sums[11] = Vector512.Sum(s23);
        sums[12] = Vector512.Sum(s30); sums[13] = Vector512.Sum(s31); sums[14] = Vector512.Sum(s32); sums[15] = Vector512.Sum(s33);
        for (; p < kc; p++)
        {
            float x0 = a0[p], x1 = a1[p], x2 = a2[p], x3 = a3[p], y0 = b0[p], y1 = b1[p], y2 = b2[p], y3 = b3[p];
            sums[0] += x0 * y0; sums[1] += x0 * y1; sums[2] += x0 * y2; sums[3] += x0 * y3;
            sums[4] += x1 * y0; sums[5] += x1 * y1; sums[6] += x1 * y2; sums[7] += x1 * y3;
            sums[8] += x2 * y0; sums[9] += x2 * y1; sums[10] += x2 * y2; sums[11] += x2 * y3;
            sums[12] += x3 * y0; sums[13] += x3 * y1; sums[14] += x3 * y2; sums[15] += x3 * y3;
        }
    }
}
