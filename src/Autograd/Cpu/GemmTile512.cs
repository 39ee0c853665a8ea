using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// GEMM micro-kernel for AVX-512: a 14×32 tile of C from 28 Vector512 FMA accumulators (two registers hold B, one the broadcast A value). A packed A micro-panel holds 14 rows per step and a packed B micro-panel 32 columns per step; the
/// 14·2 accumulators stay in registers for the whole k loop.
/// </summary>
internal static unsafe class GemmTile512
{
    /// <summary>Rows of the tile.</summary>
    public const int Rows = 14;

    /// <summary>Columns of the tile.</summary>
    public const int Columns = 32;

    /// <summary>The 14×32 tile: C ⊕= Σ_p a[p·14 + r]·b[p·32 + j] over <paramref name="kc"/> packed steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, float* c, int ldc, TileMode mode, float beta)
    {
        var c0_0 = Vector512<float>.Zero; var c0_1 = Vector512<float>.Zero;
        var c1_0 = Vector512<float>.Zero; var c1_1 = Vector512<float>.Zero;
        var c2_0 = Vector512<float>.Zero; var c2_1 = Vector512<float>.Zero;
        var c3_0 = Vector512<float>.Zero; var c3_1 = Vector512<float>.Zero;
        var c4_0 = Vector512<float>.Zero; var c4_1 = Vector512<float>.Zero;
        var c5_0 = Vector512<float>.Zero; var c5_1 = Vector512<float>.Zero;
        var c6_0 = Vector512<float>.Zero; var c6_1 = Vector512<float>.Zero;
        var c7_0 = Vector512<float>.Zero; var c7_1 = Vector512<float>.Zero;
        var c8_0 = Vector512<float>.Zero; var c8_1 = Vector512<float>.Zero;
        var c9_0 = Vector512<float>.Zero; var c9_1 = Vector512<float>.Zero;
        var c10_0 = Vector512<float>.Zero; var c10_1 = Vector512<float>.Zero;
        var c11_0 = Vector512<float>.Zero; var c11_1 = Vector512<float>.Zero;
        var c12_0 = Vector512<float>.Zero; var c12_1 = Vector512<float>.Zero;
        var c13_0 = Vector512<float>.Zero; var c13_1 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]);
            c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector512.Create(a[2]);
            c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector512.Create(a[3]);
            c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector512.Create(a[4]);
            c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector512.Create(a[5]);
            c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            var a6 = Vector512.Create(a[6]);
            c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0);
            c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            var a7 = Vector512.Create(a[7]);
            c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0);
            c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            var a8 = Vector512.Create(a[8]);
            c8_0 = Vector512.FusedMultiplyAdd(a8, b0, c8_0);
            c8_1 = Vector512.FusedMultiplyAdd(a8, b1, c8_1);
            var a9 = Vector512.Create(a[9]);
            c9_0 = Vector512.FusedMultiplyAdd(a9, b0, c9_0);
            c9_1 = Vector512.FusedMultiplyAdd(a9, b1, c9_1);
            var a10 = Vector512.Create(a[10]);
            c10_0 = Vector512.FusedMultiplyAdd(a10, b0, c10_0);
            c10_1 = Vector512.FusedMultiplyAdd(a10, b1, c10_1);
            var a11 = Vector512.Create(a[11]);
            c11_0 = Vector512.FusedMultiplyAdd(a11, b0, c11_0);
            c11_1 = Vector512.FusedMultiplyAdd(a11, b1, c11_1);
            var a12 = Vector512.Create(a[12]);
            c12_0 = Vector512.FusedMultiplyAdd(a12, b0, c12_0);
            c12_1 = Vector512.FusedMultiplyAdd(a12, b1, c12_1);
            var a13 = Vector512.Create(a[13]);
            c13_0 = Vector512.FusedMultiplyAdd(a13, b0, c13_0);
            c13_1 = Vector512.FusedMultiplyAdd(a13, b1, c13_1);
            a += 14;
            b += 32;
        }
        Store(c0_0, c + 0 * ldc + 0, mode, beta); Store(c0_1, c + 0 * ldc + 16, mode, beta);
        Store(c1_0, c + 1 * ldc + 0, mode, beta); Store(c1_1, c + 1 * ldc + 16, mode, beta);
        Store(c2_0, c + 2 * ldc + 0, mode, beta); Store(c2_1, c + 2 * ldc + 16, mode, beta);
        Store(c3_0, c + 3 * ldc + 0, mode, beta); Store(c3_1, c + 3 * ldc + 16, mode, beta);
        Store(c4_0, c + 4 * ldc + 0, mode, beta); Store(c4_1, c + 4 * ldc + 16, mode, beta);
        Store(c5_0, c + 5 * ldc + 0, mode, beta); Store(c5_1, c + 5 * ldc + 16, mode, beta);
        Store(c6_0, c + 6 * ldc + 0, mode, beta); Store(c6_1, c + 6 * ldc + 16, mode, beta);
        Store(c7_0, c + 7 * ldc + 0, mode, beta); Store(c7_1, c + 7 * ldc + 16, mode, beta);
        Store(c8_0, c + 8 * ldc + 0, mode, beta); Store(c8_1, c + 8 * ldc + 16, mode, beta);
        Store(c9_0, c + 9 * ldc + 0, mode, beta); Store(c9_1, c + 9 * ldc + 16, mode, beta);
        Store(c10_0, c + 10 * ldc + 0, mode, beta); Store(c10_1, c + 10 * ldc + 16, mode, beta);
        Store(c11_0, c + 11 * ldc + 0, mode, beta); Store(c11_1, c + 11 * ldc + 16, mode, beta);
        Store(c12_0, c + 12 * ldc + 0, mode, beta); Store(c12_1, c + 12 * ldc + 16, mode, beta);
        Store(c13_0, c + 13 * ldc + 0, mode, beta); Store(c13_1, c + 13 * ldc + 16, mode, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> acc, float* c, TileMode mode, float beta)
    {
        if (mode == TileMode.Overwrite) Vector512.Store(acc, c);
        else if (mode == TileMode.Accumulate) Vector512.Store(Vector512.Load(c) + acc, c);
        else Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Create(beta), Vector512.Load(c), acc), c);
    }
}
