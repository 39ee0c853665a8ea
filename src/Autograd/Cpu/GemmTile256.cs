using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// GEMM micro-kernel for AVX2 + FMA: a 6×16 tile of C held in 12 Vector256 accumulators (15 of 16 registers
/// with B and the broadcast A value).
/// </summary>
internal static unsafe class GemmTile256
{
    /// <summary>Rows of the tile.</summary>
    public const int Rows = 6;

    /// <summary>Columns of the tile.</summary>
    public const int Columns = 16;

    /// <summary>The 6×16 tile: C ⊕= Σ_p a[p·6 + r]·b[p·16 + j] over <paramref name="kc"/> packed steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, float* c, int ldc, TileMode mode, float beta)
    {
        var c0_0 = Vector256<float>.Zero; var c0_1 = Vector256<float>.Zero;
        var c1_0 = Vector256<float>.Zero; var c1_1 = Vector256<float>.Zero;
        var c2_0 = Vector256<float>.Zero; var c2_1 = Vector256<float>.Zero;
        var c3_0 = Vector256<float>.Zero; var c3_1 = Vector256<float>.Zero;
        var c4_0 = Vector256<float>.Zero; var c4_1 = Vector256<float>.Zero;
        var c5_0 = Vector256<float>.Zero; var c5_1 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c0_0 = Vector256.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector256.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector256.Create(a[1]);
            c1_0 = Vector256.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector256.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector256.Create(a[2]);
            c2_0 = Vector256.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector256.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector256.Create(a[3]);
            c3_0 = Vector256.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector256.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector256.Create(a[4]);
            c4_0 = Vector256.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector256.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector256.Create(a[5]);
            c5_0 = Vector256.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector256.FusedMultiplyAdd(a5, b1, c5_1);
            a += 6;
            b += 16;
        }
        Store(c0_0, c + 0 * ldc + 0, mode, beta); Store(c0_1, c + 0 * ldc + 8, mode, beta);
        Store(c1_0, c + 1 * ldc + 0, mode, beta); Store(c1_1, c + 1 * ldc + 8, mode, beta);
        Store(c2_0, c + 2 * ldc + 0, mode, beta); Store(c2_1, c + 2 * ldc + 8, mode, beta);
        Store(c3_0, c + 3 * ldc + 0, mode, beta); Store(c3_1, c + 3 * ldc + 8, mode, beta);
        Store(c4_0, c + 4 * ldc + 0, mode, beta); Store(c4_1, c + 4 * ldc + 8, mode, beta);
        Store(c5_0, c + 5 * ldc + 0, mode, beta); Store(c5_1, c + 5 * ldc + 8, mode, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> acc, float* c, TileMode mode, float beta)
    {
        if (mode == TileMode.Overwrite) Vector256.Store(acc, c);
        else if (mode == TileMode.Accumulate) Vector256.Store(Vector256.Load(c) + acc, c);
        else Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Create(beta), Vector256.Load(c), acc), c);
    }
}
