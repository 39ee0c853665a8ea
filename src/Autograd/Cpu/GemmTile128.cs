using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Portable GEMM micro-kernel (any SIMD width of 128 bits, or software): a 4×8 tile of C in 8 Vector128
/// accumulators, multiply then add so it never falls back to a slow software fused multiply-add.
/// </summary>
internal static unsafe class GemmTile128
{
    /// <summary>Rows of the tile.</summary>
    public const int Rows = 4;

    /// <summary>Columns of the tile.</summary>
    public const int Columns = 8;

    /// <summary>The 4×8 tile: C ⊕= Σ_p a[p·4 + r]·b[p·8 + j] over <paramref name="kc"/> packed steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, float* c, int ldc, TileMode mode, float beta)
    {
        var c0_0 = Vector128<float>.Zero; var c0_1 = Vector128<float>.Zero;
        var c1_0 = Vector128<float>.Zero; var c1_1 = Vector128<float>.Zero;
        var c2_0 = Vector128<float>.Zero; var c2_1 = Vector128<float>.Zero;
        var c3_0 = Vector128<float>.Zero; var c3_1 = Vector128<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b + 0);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c0_0 = c0_0 + a0 * b0;
            c0_1 = c0_1 + a0 * b1;
            var a1 = Vector128.Create(a[1]);
            c1_0 = c1_0 + a1 * b0;
            c1_1 = c1_1 + a1 * b1;
            var a2 = Vector128.Create(a[2]);
            c2_0 = c2_0 + a2 * b0;
            c2_1 = c2_1 + a2 * b1;
            var a3 = Vector128.Create(a[3]);
            c3_0 = c3_0 + a3 * b0;
            c3_1 = c3_1 + a3 * b1;
            a += 4;
            b += 8;
        }
        Store(c0_0, c + 0 * ldc + 0, mode, beta); Store(c0_1, c + 0 * ldc + 4, mode, beta);
        Store(c1_0, c + 1 * ldc + 0, mode, beta); Store(c1_1, c + 1 * ldc + 4, mode, beta);
        Store(c2_0, c + 2 * ldc + 0, mode, beta); Store(c2_1, c + 2 * ldc + 4, mode, beta);
        Store(c3_0, c + 3 * ldc + 0, mode, beta); Store(c3_1, c + 3 * ldc + 4, mode, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<float> acc, float* c, TileMode mode, float beta)
    {
        if (mode == TileMode.Overwrite) Vector128.Store(acc, c);
        else if (mode == TileMode.Accumulate) Vector128.Store(Vector128.Load(c) + acc, c);
        else Vector128.Store(acc + Vector128.Create(beta) * Vector128.Load(c), c);
    }
}
