using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// GEMM micro-kernel for AVX-512: up to a 14×32 tile of C held in 28 Vector512 FMA accumulators (two more registers
/// hold B, one the broadcast A value: 31 of 32). Each step reads 14 packed A values and 16 or 32 packed B values.
/// The row count and width are type parameters, so each specialisation keeps only the accumulators it uses: the
/// narrower tiles cover the edges of C without computing padding.
/// </summary>
internal static unsafe class GemmTile512
{
    /// <summary>Rows of the full tile (and the step of a packed A micro-panel).</summary>
    public const int Rows = 14;

    /// <summary>Columns of the full tile.</summary>
    public const int Columns = 32;

    /// <summary>
    /// C[TRows × (16 or 32)] ⊕= Σ_p a[p·14 + r]·b[p·32 + j] over <paramref name="kc"/> packed steps; a narrow tile reads
    /// only the first 16 columns of each B step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TRows, TWide>(int kc, float* a, float* b, float* c, int ldc, TileMode mode, float beta)
        where TRows : ITileConstant
        where TWide : ITileConstant
    {
        int rows = TRows.Value;
        bool wide = TWide.Value != 0;
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
        Vector512<float> b0, b1 = default;
        int p = 0;
        for (; p + 1 < kc; p += 2)
        {
            b0 = Vector512.Load(b + 0);
            if (wide) b1 = Vector512.Load(b + 16);
            {
                var a0 = Vector512.Create(a[0]);
                c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0);
                if (wide) c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            }
            if (rows > 1) {
                var a1 = Vector512.Create(a[1]);
                c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0);
                if (wide) c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            }
            if (rows > 2) {
                var a2 = Vector512.Create(a[2]);
                c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0);
                if (wide) c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            }
            if (rows > 3) {
                var a3 = Vector512.Create(a[3]);
                c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0);
                if (wide) c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            }
            if (rows > 4) {
                var a4 = Vector512.Create(a[4]);
                c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0);
                if (wide) c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            }
            if (rows > 5) {
                var a5 = Vector512.Create(a[5]);
                c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0);
                if (wide) c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            }
            if (rows > 6) {
                var a6 = Vector512.Create(a[6]);
                c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0);
                if (wide) c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            }
            if (rows > 7) {
                var a7 = Vector512.Create(a[7]);
                c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0);
                if (wide) c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            }
            if (rows > 8) {
                var a8 = Vector512.Create(a[8]);
                c8_0 = Vector512.FusedMultiplyAdd(a8, b0, c8_0);
                if (wide) c8_1 = Vector512.FusedMultiplyAdd(a8, b1, c8_1);
            }
            if (rows > 9) {
                var a9 = Vector512.Create(a[9]);
                c9_0 = Vector512.FusedMultiplyAdd(a9, b0, c9_0);
                if (wide) c9_1 = Vector512.FusedMultiplyAdd(a9, b1, c9_1);
            }
            if (rows > 10) {
                var a10 = Vector512.Create(a[10]);
                c10_0 = Vector512.FusedMultiplyAdd(a10, b0, c10_0);
                if (wide) c10_1 = Vector512.FusedMultiplyAdd(a10, b1, c10_1);
            }
            if (rows > 11) {
                var a11 = Vector512.Create(a[11]);
                c11_0 = Vector512.FusedMultiplyAdd(a11, b0, c11_0);
                if (wide) c11_1 = Vector512.FusedMultiplyAdd(a11, b1, c11_1);
            }
            if (rows > 12) {
                var a12 = Vector512.Create(a[12]);
                c12_0 = Vector512.FusedMultiplyAdd(a12, b0, c12_0);
                if (wide) c12_1 = Vector512.FusedMultiplyAdd(a12, b1, c12_1);
            }
            if (rows > 13) {
                var a13 = Vector512.Create(a[13]);
                c13_0 = Vector512.FusedMultiplyAdd(a13, b0, c13_0);
                if (wide) c13_1 = Vector512.FusedMultiplyAdd(a13, b1, c13_1);
            }
            b0 = Vector512.Load(b + 32);
            if (wide) b1 = Vector512.Load(b + 48);
            {
                var a0 = Vector512.Create(a[14]);
                c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0);
                if (wide) c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            }
            if (rows > 1) {
                var a1 = Vector512.Create(a[15]);
                c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0);
                if (wide) c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            }
            if (rows > 2) {
                var a2 = Vector512.Create(a[16]);
                c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0);
                if (wide) c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            }
            if (rows > 3) {
                var a3 = Vector512.Create(a[17]);
                c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0);
                if (wide) c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            }
            if (rows > 4) {
                var a4 = Vector512.Create(a[18]);
                c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0);
                if (wide) c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            }
            if (rows > 5) {
                var a5 = Vector512.Create(a[19]);
                c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0);
                if (wide) c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            }
            if (rows > 6) {
                var a6 = Vector512.Create(a[20]);
                c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0);
                if (wide) c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            }
            if (rows > 7) {
                var a7 = Vector512.Create(a[21]);
                c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0);
                if (wide) c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            }
            if (rows > 8) {
                var a8 = Vector512.Create(a[22]);
                c8_0 = Vector512.FusedMultiplyAdd(a8, b0, c8_0);
                if (wide) c8_1 = Vector512.FusedMultiplyAdd(a8, b1, c8_1);
            }
            if (rows > 9) {
                var a9 = Vector512.Create(a[23]);
                c9_0 = Vector512.FusedMultiplyAdd(a9, b0, c9_0);
                if (wide) c9_1 = Vector512.FusedMultiplyAdd(a9, b1, c9_1);
            }
            if (rows > 10) {
                var a10 = Vector512.Create(a[24]);
                c10_0 = Vector512.FusedMultiplyAdd(a10, b0, c10_0);
                if (wide) c10_1 = Vector512.FusedMultiplyAdd(a10, b1, c10_1);
            }
            if (rows > 11) {
                var a11 = Vector512.Create(a[25]);
                c11_0 = Vector512.FusedMultiplyAdd(a11, b0, c11_0);
                if (wide) c11_1 = Vector512.FusedMultiplyAdd(a11, b1, c11_1);
            }
            if (rows > 12) {
                var a12 = Vector512.Create(a[26]);
                c12_0 = Vector512.FusedMultiplyAdd(a12, b0, c12_0);
                if (wide) c12_1 = Vector512.FusedMultiplyAdd(a12, b1, c12_1);
            }
            if (rows > 13) {
                var a13 = Vector512.Create(a[27]);
                c13_0 = Vector512.FusedMultiplyAdd(a13, b0, c13_0);
                if (wide) c13_1 = Vector512.FusedMultiplyAdd(a13, b1, c13_1);
            }
            a += 28;
            b += 64;
        }
        if (p < kc)
        {
            b0 = Vector512.Load(b + 0);
            if (wide) b1 = Vector512.Load(b + 16);
            {
                var a0 = Vector512.Create(a[0]);
                c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0);
                if (wide) c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            }
            if (rows > 1) {
                var a1 = Vector512.Create(a[1]);
                c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0);
                if (wide) c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            }
            if (rows > 2) {
                var a2 = Vector512.Create(a[2]);
                c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0);
                if (wide) c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            }
            if (rows > 3) {
                var a3 = Vector512.Create(a[3]);
                c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0);
                if (wide) c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            }
            if (rows > 4) {
                var a4 = Vector512.Create(a[4]);
                c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0);
                if (wide) c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            }
            if (rows > 5) {
                var a5 = Vector512.Create(a[5]);
                c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0);
                if (wide) c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            }
            if (rows > 6) {
                var a6 = Vector512.Create(a[6]);
                c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0);
                if (wide) c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            }
            if (rows > 7) {
                var a7 = Vector512.Create(a[7]);
                c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0);
                if (wide) c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            }
            if (rows > 8) {
                var a8 = Vector512.Create(a[8]);
                c8_0 = Vector512.FusedMultiplyAdd(a8, b0, c8_0);
                if (wide) c8_1 = Vector512.FusedMultiplyAdd(a8, b1, c8_1);
            }
            if (rows > 9) {
                var a9 = Vector512.Create(a[9]);
                c9_0 = Vector512.FusedMultiplyAdd(a9, b0, c9_0);
                if (wide) c9_1 = Vector512.FusedMultiplyAdd(a9, b1, c9_1);
            }
            if (rows > 10) {
                var a10 = Vector512.Create(a[10]);
                c10_0 = Vector512.FusedMultiplyAdd(a10, b0, c10_0);
                if (wide) c10_1 = Vector512.FusedMultiplyAdd(a10, b1, c10_1);
            }
            if (rows > 11) {
                var a11 = Vector512.Create(a[11]);
                c11_0 = Vector512.FusedMultiplyAdd(a11, b0, c11_0);
                if (wide) c11_1 = Vector512.FusedMultiplyAdd(a11, b1, c11_1);
            }
            if (rows > 12) {
                var a12 = Vector512.Create(a[12]);
                c12_0 = Vector512.FusedMultiplyAdd(a12, b0, c12_0);
                if (wide) c12_1 = Vector512.FusedMultiplyAdd(a12, b1, c12_1);
            }
            if (rows > 13) {
                var a13 = Vector512.Create(a[13]);
                c13_0 = Vector512.FusedMultiplyAdd(a13, b0, c13_0);
                if (wide) c13_1 = Vector512.FusedMultiplyAdd(a13, b1, c13_1);
            }
        }
        Store(c0_0, c0_1, c + 0 * ldc, wide, mode, beta);
        if (rows > 1) Store(c1_0, c1_1, c + 1 * ldc, wide, mode, beta);
        if (rows > 2) Store(c2_0, c2_1, c + 2 * ldc, wide, mode, beta);
        if (rows > 3) Store(c3_0, c3_1, c + 3 * ldc, wide, mode, beta);
        if (rows > 4) Store(c4_0, c4_1, c + 4 * ldc, wide, mode, beta);
        if (rows > 5) Store(c5_0, c5_1, c + 5 * ldc, wide, mode, beta);
        if (rows > 6) Store(c6_0, c6_1, c + 6 * ldc, wide, mode, beta);
        if (rows > 7) Store(c7_0, c7_1, c + 7 * ldc, wide, mode, beta);
        if (rows > 8) Store(c8_0, c8_1, c + 8 * ldc, wide, mode, beta);
        if (rows > 9) Store(c9_0, c9_1, c + 9 * ldc, wide, mode, beta);
        if (rows > 10) Store(c10_0, c10_1, c + 10 * ldc, wide, mode, beta);
        if (rows > 11) Store(c11_0, c11_1, c + 11 * ldc, wide, mode, beta);
        if (rows > 12) Store(c12_0, c12_1, c + 12 * ldc, wide, mode, beta);
        if (rows > 13) Store(c13_0, c13_1, c + 13 * ldc, wide, mode, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> low, Vector512<float> high, float* c, bool wide, TileMode mode, float beta)
    {
        Store(low, c, mode, beta);
        if (wide) Store(high, c + 16, mode, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> acc, float* c, TileMode mode, float beta)
    {
        if (mode == TileMode.Overwrite) Vector512.Store(acc, c);
        else if (mode == TileMode.Accumulate) Vector512.Store(Vector512.Load(c) + acc, c);
        else Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Create(beta), Vector512.Load(c), acc), c);
    }
}
