using System.Runtime.Intrinsics.X86;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Blocked, packed single-threaded GEMM (the Goto/BLIS loop nest): C = alpha·op(A)·op(B) + beta·C, row-major.
/// </summary>
/// <remarks>
/// For each block of <see cref="NC"/> columns and <see cref="KC"/> steps, op(B) is packed once (KC·NC floats, sized to
/// stay in L2); then for each band of micro-tile rows one A micro-panel is packed (kept in L1) and swept across the
/// packed B block by the register-blocked micro-kernel. Callers parallelise by giving each thread its own part of C.
/// </remarks>
internal static unsafe class PackedGemm
{
    /// <summary>Steps per packed block: an A micro-panel (14·KC floats) fits L1 beside the streamed B panels.</summary>
    public const int KC = 256;

    /// <summary>Columns per packed B block: KC·NC floats (512 KiB) stay in a 1 MiB L2.</summary>
    public const int NC = 512;

    /// <summary>Floats in an A micro-panel buffer (largest micro-kernel).</summary>
    public const int ABufferLength = GemmTile512.Rows * KC;

    /// <summary>Floats in a B block buffer.</summary>
    public const int BBufferLength = KC * NC;

    /// <summary>Floats in an edge-tile buffer.</summary>
    public const int TileBufferLength = GemmTile512.Rows * GemmTile512.Columns;

    /// <summary>The fastest path this machine supports.</summary>
    /// <remarks>
    /// Asks for the instruction sets, not <c>Vector512.IsHardwareAccelerated</c>: .NET reports that false on Skylake-X and
    /// Cascade Lake to avoid frequency drops in general code, yet a GEMM kernel that keeps every port busy still wins.
    /// </remarks>
    public static GemmPath Best { get; } =
        Avx512F.IsSupported ? GemmPath.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? GemmPath.Avx2
        : GemmPath.Simple;

    /// <summary>Micro-tile (rows, columns) of a path.</summary>
    public static (int Rows, int Columns) TileOf(GemmPath path) => path switch
    {
        GemmPath.Avx512 => (GemmTile512.Rows, GemmTile512.Columns),
        GemmPath.Avx2 => (GemmTile256.Rows, GemmTile256.Columns),
        _ => (1, 1),
    };

    /// <summary>Computes the whole of C on the calling thread.</summary>
    public static void Run(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
                           float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        if (path == GemmPath.Simple)
        {
            SimpleGemm.Rows(transA, transB, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m);
            return;
        }
        if (k == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        var (mr, nr) = TileOf(path);
        var scratch = GemmScratch.Current;
        float* ap = scratch.A, bp = scratch.B, tile = scratch.Tile;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                var mode = pc > 0 || beta == 1f ? TileMode.Accumulate : beta == 0f ? TileMode.Overwrite : TileMode.Scale;
                GemmPacking.PackB(transB, b, ldb, pc, jc, kc, nc, nr, bp);
                for (int ir = 0; ir < m; ir += mr)
                {
                    int rows = Math.Min(mr, m - ir);
                    GemmPacking.PackA(transA, a, lda, ir, pc, rows, kc, mr, alpha, ap);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* panel = bp + (long)(jr / nr) * kc * nr;
                        float* ct = c + (long)ir * ldc + jc + jr;
                        if (rows == mr && cols == nr)
                        {
                            Tile(path, kc, ap, panel, ct, ldc, mode, beta);
                        }
                        else
                        {
                            Tile(path, kc, ap, panel, tile, nr, TileMode.Overwrite, 0f);
                            Merge(tile, nr, rows, cols, ct, ldc, mode, beta);
                        }
                    }
                }
            }
        }
    }

    private static void Tile(GemmPath path, int kc, float* a, float* b, float* c, int ldc, TileMode mode, float beta)
    {
        if (path == GemmPath.Avx512) GemmTile512.Tile(kc, a, b, c, ldc, mode, beta);
        else GemmTile256.Tile(kc, a, b, c, ldc, mode, beta);
    }

    /// <summary>Combines the valid part of an edge tile with C.</summary>
    private static void Merge(float* tile, int ldt, int rows, int cols, float* c, int ldc, TileMode mode, float beta)
    {
        for (int r = 0; r < rows; r++)
        {
            float* t = tile + r * ldt;
            float* d = c + (long)r * ldc;
            for (int j = 0; j < cols; j++)
            {
                d[j] = mode switch
                {
                    TileMode.Overwrite => t[j],
                    TileMode.Accumulate => d[j] + t[j],
                    _ => beta * d[j] + t[j],
                };
            }
        }
    }

    /// <summary>C = beta·C (k = 0); beta = 0 writes zeros without reading C.</summary>
    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
