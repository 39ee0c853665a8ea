using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Blocked, packed single-threaded GEMM (the Goto/BLIS loop nest): C = op(A)·op(B) + beta·C, row-major, with op(A)
/// and op(B) supplied by panel sources (a matrix, a prepacked operand, or an image unfolded on the fly).
/// </summary>
/// <remarks>
/// For each block of <see cref="NC"/> columns and <see cref="KC"/> steps, op(B) is packed once (KC·NC floats, sized to
/// stay in L2); then for each band of micro-tile rows one A micro-panel (in L1) is swept across the packed B block by
/// the register-blocked micro-kernel. When few rows meet many column blocks, the k-block loop goes outside instead and
/// all of A's panels for that block are packed once and kept. Callers parallelise by giving each thread its own
/// rectangle of C.
/// </remarks>
internal static unsafe class PackedGemm
{
    /// <summary>Steps per packed block: an A micro-panel (14·KC floats) stays in L1 beside the streamed B panels.</summary>
    public const int KC = 256;

    /// <summary>Columns per packed B block: KC·NC floats (512 KiB) stay in a 1 MiB L2.</summary>
    public const int NC = 512;

    /// <summary>Floats in an A micro-panel buffer (largest micro-kernel).</summary>
    public const int ABufferLength = GemmTile512.Rows * KC;

    /// <summary>Most rows for which A is packed once per k block and kept across column blocks.</summary>
    public const int BlockRows = 392;

    /// <summary>Floats in an A block buffer (<see cref="BlockRows"/> × <see cref="KC"/>).</summary>
    public const int ABlockLength = BlockRows * KC;

    /// <summary>Floats in a B block buffer.</summary>
    public const int BBufferLength = KC * NC;

    /// <summary>Floats in an edge-tile buffer.</summary>
    public const int TileBufferLength = GemmTile512.Rows * GemmTile512.Columns;

    /// <summary>The fastest path this machine supports.</summary>
    /// <remarks>
    /// Asks for the instruction sets, not <c>Vector512.IsHardwareAccelerated</c>: .NET reports that false on Skylake-X and
    /// Cascade Lake to avoid frequency drops in general code, yet a GEMM kernel that keeps every port busy still wins.
    /// </remarks>
    public static GemmPath Best { get; } = PathFor(Avx512F.IsSupported, Avx2.IsSupported && Fma.IsSupported);

    /// <summary>The fastest path for hardware with or without AVX-512F and AVX2 + FMA (a pure function, so the choice
    /// is testable on any machine).</summary>
    public static GemmPath PathFor(bool avx512, bool avx2Fma) => avx512 ? GemmPath.Avx512 : avx2Fma ? GemmPath.Avx2 : GemmPath.Portable;

    /// <summary>Micro-tile (rows, columns) of a path.</summary>
    public static (int Rows, int Columns) TileOf(GemmPath path) => path switch
    {
        GemmPath.Avx512 => (GemmTile512.Rows, GemmTile512.Columns),
        GemmPath.Avx2 => (GemmTile256.Rows, GemmTile256.Columns),
        _ => (GemmTile128.Rows, GemmTile128.Columns),
    };

    /// <summary>
    /// Computes the rectangle rows [i0, i1) × columns [j0, j1) of C (indices into the whole C at <paramref name="c"/>) on
    /// the calling thread. <paramref name="i0"/> must be a multiple of the path's micro-tile rows when A is prepacked.
    /// With beta = 0, C is never read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TA, TB>(GemmPath path, ref TA a, ref TB b, int i0, int i1, int j0, int j1, int k, float beta, float* c, int ldc)
        where TA : struct, IPanelSourceA
        where TB : struct, IPanelSourceB
    {
        if (i0 >= i1 || j0 >= j1) return;
        if (k == 0)
        {
            ScaleC(i0, i1, j0, j1, beta, c, ldc);
            return;
        }
        var (mr, nr) = TileOf(path);
        var scratch = GemmScratch.Current;
        float* ap = scratch.A, bp = scratch.B, tile = scratch.Tile;
        if (!TA.IsPrepacked && j1 - j0 > NC && (i1 - i0 + mr - 1) / mr * mr <= BlockRows)
        {
            // Few rows, many column blocks: pack each k block of A once and keep it (in L2) for every column block,
            // instead of packing it again per column block.
            float* block = scratch.ABlock;
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                var mode = ModeOf(pc, beta);
                for (int ir = i0; ir < i1; ir += mr)
                {
                    float* dst = block + (long)(ir - i0) * kc;
                    float* got = a.Panel(ir, pc, Math.Min(mr, i1 - ir), kc, mr, dst);
                    if (got != dst) Buffer.MemoryCopy(got, dst, (long)mr * kc * sizeof(float), (long)mr * kc * sizeof(float));
                }
                for (int jc = j0; jc < j1; jc += NC)
                {
                    int nc = Math.Min(NC, j1 - jc);
                    b.Pack(pc, jc, kc, nc, nr, bp);
                    for (int ir = i0; ir < i1; ir += mr)
                        TileRow(path, Math.Min(mr, i1 - ir), block + (long)(ir - i0) * kc, bp, kc, nc, nr, c + (long)ir * ldc + jc, ldc, mode, beta, tile);
                }
            }
            return;
        }
        for (int jc = j0; jc < j1; jc += NC)
        {
            int nc = Math.Min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                var mode = ModeOf(pc, beta);
                b.Pack(pc, jc, kc, nc, nr, bp);
                for (int ir = i0; ir < i1; ir += mr)
                {
                    int rows = Math.Min(mr, i1 - ir);
                    TileRow(path, rows, a.Panel(ir, pc, rows, kc, mr, ap), bp, kc, nc, nr, c + (long)ir * ldc + jc, ldc, mode, beta, tile);
                }
            }
        }
    }

    /// <summary>First k block: beta decides (0 overwrites without reading C); later blocks accumulate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TileMode ModeOf(int pc, float beta) =>
        pc > 0 || beta == 1f ? TileMode.Accumulate : beta == 0f ? TileMode.Overwrite : TileMode.Scale;

    /// <summary>One A micro-panel swept across a packed B block: the tiles of one band of rows of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TileRow(GemmPath path, int rows, float* panelA, float* blockB, int kc, int nc, int nr,
                                float* c, int ldc, TileMode mode, float beta, float* tile)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panelB = blockB + (long)(jr / nr) * kc * nr;
            var (tileRows, tileCols) = TileShape(path, rows, cols);
            if (rows == tileRows && cols == tileCols)
            {
                Tile(path, rows, cols, kc, panelA, panelB, c + jr, ldc, mode, beta);
            }
            else
            {
                Tile(path, rows, cols, kc, panelA, panelB, tile, nr, TileMode.Overwrite, 0f);
                Merge(tile, nr, rows, cols, c + jr, ldc, mode, beta);
            }
        }
    }

    /// <summary>Row-major GEMM on matrices: C = alpha·op(A)·op(B) + beta·C over all of C, on the calling thread.</summary>
    public static void Run(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
                           float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        var sa = new MatrixA(transA, a, lda, alpha);
        var sb = new MatrixB(transB, b, ldb);
        Run(path, ref sa, ref sb, 0, m, 0, n, k, beta, c, ldc);
    }

    /// <summary>
    /// The tile a micro-kernel computes for an edge of <paramref name="rows"/> × <paramref name="cols"/>: AVX-512 has
    /// kernels for every even row count and for 16 or 32 columns; the other paths always compute a full tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Rows, int Columns) TileShape(GemmPath path, int rows, int cols) => path == GemmPath.Avx512
        ? ((rows + 1) & ~1, cols > 16 ? 32 : 16)
        : TileOf(path);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(GemmPath path, int rows, int cols, int kc, float* a, float* b, float* c, int ldc, TileMode mode, float beta)
    {
        if (path == GemmPath.Avx512)
        {
            if (cols > 16) Tile512<Const1>(rows, kc, a, b, c, ldc, mode, beta);
            else Tile512<Const0>(rows, kc, a, b, c, ldc, mode, beta);
        }
        else if (path == GemmPath.Avx2) GemmTile256.Tile(kc, a, b, c, ldc, mode, beta);
        else GemmTile128.Tile(kc, a, b, c, ldc, mode, beta);
    }

    // Per-tile dispatch: fully optimised from the first call rather than tier 0 (see GemmPacking.PackA).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512<TWide>(int rows, int kc, float* a, float* b, float* c, int ldc, TileMode mode, float beta)
        where TWide : ITileConstant
    {
        switch ((rows + 1) >> 1)
        {
            case 7: GemmTile512.Tile<Const14, TWide>(kc, a, b, c, ldc, mode, beta); break;
            case 6: GemmTile512.Tile<Const12, TWide>(kc, a, b, c, ldc, mode, beta); break;
            case 5: GemmTile512.Tile<Const10, TWide>(kc, a, b, c, ldc, mode, beta); break;
            case 4: GemmTile512.Tile<Const8, TWide>(kc, a, b, c, ldc, mode, beta); break;
            case 3: GemmTile512.Tile<Const6, TWide>(kc, a, b, c, ldc, mode, beta); break;
            case 2: GemmTile512.Tile<Const4, TWide>(kc, a, b, c, ldc, mode, beta); break;
            default: GemmTile512.Tile<Const2, TWide>(kc, a, b, c, ldc, mode, beta); break;
        }
    }

    /// <summary>Combines the valid part of an edge tile with C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    private static void ScaleC(int i0, int i1, int j0, int j1, float beta, float* c, int ldc)
    {
        for (int i = i0; i < i1; i++)
        {
            var row = new Span<float>(c + (long)i * ldc + j0, j1 - j0);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
