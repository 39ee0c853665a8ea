using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu;

public sealed partial class CudaBackend
{
    /// <inheritdoc/>
    /// <remarks>
    /// cuBLAS is column-major; a row-major matrix is the column-major transpose, so the row-major product
    /// C = op(A)·op(B) is computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: sgemm(opB, opA, n, m, k, B, A, C) with leading
    /// dimensions equal to the stored row lengths (gpu-interop.md §4.2).
    /// </remarks>
    unsafe void IBackend.Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        EnsureCurrent();
        nint pa = Ptr(a, (long)m * k, nameof(a));
        nint pb = Ptr(b, (long)k * n, nameof(b));
        nint pc = Ptr(c, (long)m * n, nameof(c));
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (beta == 0f) Kernels.Fill(c, m * n, 0f);
            else Kernels.Affine(c, c, m * n, beta, 0f);
            return;
        }
        int lda = transposeA ? m : k;
        int ldb = transposeB ? k : n;
        float al = alpha;
        float be = beta;
        Cublas.Check(Cublas.cublasSgemm_v2(_cublas.Value, transposeB ? Cublas.OpT : Cublas.OpN, transposeA ? Cublas.OpT : Cublas.OpN,
            n, m, k, &al, pb, ldb, pa, lda, &be, pc, n));
    }
}
