using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    // Products below this many flops run on the calling thread: a thread hop costs more than the work.
    private const long ParallelGemmFlops = 1L << 21;

    /// <inheritdoc/>
    void IBackend.Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c) =>
        Gemm(Path, transposeA, transposeB, m, n, k, alpha, a, b, beta, c);

    /// <summary><see cref="IBackend.Gemm"/> on a chosen path (tests cover every path).</summary>
    internal unsafe void Gemm(GemmPath path, bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"GEMM sizes m={m}, n={n}, k={k} must not be negative.");
        var pa = Cpu(a, (long)m * k);
        var pb = Cpu(b, (long)k * n);
        var pc = Cpu(c, (long)m * n);
        GemmParallel(path, transposeA, transposeB, m, n, k, alpha, pa.Pointer, transposeA ? m : k, pb.Pointer, transposeB ? k : n, beta, pc.Pointer, n);
    }

    /// <summary>GEMM on raw pointers with leading dimensions, C split into one block per worker thread.</summary>
    internal unsafe void GemmParallel(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
                                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        int threads = 2L * m * n * k < ParallelGemmFlops ? 1 : Threads;
        if (threads == 1)
        {
            PackedGemm.Run(path, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        var (mr, nr) = PackedGemm.TileOf(path);
        var (tm, tn) = Grid(threads, m, n, k, mr, nr);
        nint ap = (nint)a, bp = (nint)b, cp = (nint)c;
        int rowBlocks = (m + mr - 1) / mr, colBlocks = (n + nr - 1) / nr;
        Parallel.For(0, tm * tn, _parallel, t =>
        {
            int ti = t / tn, tj = t % tn;
            var sa = new MatrixA(transA, (float*)ap, lda, alpha);
            var sb = new MatrixB(transB, (float*)bp, ldb);
            PackedGemm.Run(path, ref sa, ref sb,
                rowBlocks * ti / tm * mr, Math.Min(m, rowBlocks * (ti + 1) / tm * mr),
                colBlocks * tj / tn * nr, Math.Min(n, colBlocks * (tj + 1) / tn * nr), k, beta, (float*)cp, ldc);
        });
    }

    /// <summary>
    /// Splits C into tm × tn blocks (tm·tn = threads) minimising the largest block's work, counted in whole micro-tiles,
    /// plus the packing each block repeats (its rows and columns times k).
    /// </summary>
    private static (int Rows, int Columns) Grid(int threads, int m, int n, int k, int mr, int nr)
    {
        int rowBlocks = (m + mr - 1) / mr, colBlocks = (n + nr - 1) / nr;
        (int, int) best = (threads, 1);
        double bestCost = double.MaxValue;
        for (int tm = 1; tm <= threads; tm++)
        {
            if (threads % tm != 0) continue;
            int tn = threads / tm;
            double rows = (double)((rowBlocks + tm - 1) / tm) * mr, cols = (double)((colBlocks + tn - 1) / tn) * nr;
            double cost = rows * cols * k + 4.0 * (rows + cols) * k;
            if (cost < bestCost)
            {
                bestCost = cost;
                best = (tm, tn);
            }
        }
        return best;
    }
}
