using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public unsafe void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"GEMM sizes m={m}, n={n}, k={k} must not be negative.");
        var pa = Cpu(a, (long)m * k);
        var pb = Cpu(b, (long)k * n);
        var pc = Cpu(c, (long)m * n);
        GemmParallel(transposeA, transposeB, m, n, k, alpha, pa.Pointer, transposeA ? m : k, pb.Pointer, transposeB ? k : n, beta, pc.Pointer, n);
    }

    /// <summary>GEMM on raw pointers with leading dimensions, spread over all worker threads.</summary>
    internal unsafe void GemmParallel(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        nint ap = (nint)a, bp = (nint)b, cp = (nint)c;
        long flopsPerRow = 2L * n * Math.Max(k, 1);
        For(m, (int)Math.Clamp((1L << 18) / flopsPerRow, 1, m), (s, e) =>
            Sgemm.Rows(transA, transB, n, k, alpha, (float*)ap, lda, (float*)bp, ldb, beta, (float*)cp, ldc, s, e));
    }

    /// <summary>GEMM on raw pointers with leading dimensions, on the calling thread only (for callers already parallel).</summary>
    internal static unsafe void GemmSerial(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        Sgemm.Rows(transA, transB, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m);
    }
}
