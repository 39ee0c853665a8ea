using System.Numerics.Tensors;

namespace AlexNet.Autograd.Cpu;

/// <summary>The portable GEMM fallback, row by row over TensorPrimitives: C = alpha·op(A)·op(B) + beta·C.</summary>
internal static unsafe class SimpleGemm
{
    /// <summary>
    /// Computes rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of C on the calling thread. op(A) is m×k
    /// (stored k×m when transposed), op(B) is k×n (stored n×k when transposed). With beta = 0, C is never read.
    /// </summary>
    public static void Rows(bool transA, bool transB, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
                            float beta, float* c, int ldc, int rowStart, int rowEnd)
    {
        var aRow = new float[k];
        for (int i = rowStart; i < rowEnd; i++)
        {
            var cRow = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) cRow.Clear();
            else if (beta != 1f) TensorPrimitives.Multiply(cRow, beta, cRow);
            for (int p = 0; p < k; p++) aRow[p] = alpha * (transA ? a[(long)p * lda + i] : a[(long)i * lda + p]);
            if (transB)
            {
                // op(B)[p, j] = B[j, p]: each C element is a dot product of two contiguous rows.
                for (int j = 0; j < n; j++) cRow[j] += TensorPrimitives.Dot(aRow, new ReadOnlySpan<float>(b + (long)j * ldb, k));
            }
            else
            {
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(b + (long)p * ldb, n), aRow[p], cRow, cRow);
            }
        }
    }
}
