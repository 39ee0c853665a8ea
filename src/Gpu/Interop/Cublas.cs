using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Gpu.Loading;

namespace AlexNet.Gpu.Interop;

/// <summary>Bindings to cuBLAS (<c>libcublas.so.13</c> or <c>.12</c>); the <c>_v2</c> entry points, as <c>cublas_v2.h</c> maps them.</summary>
internal static unsafe partial class Cublas
{
    private const string Library = CudaLibrarySets.Cublas;

    /// <summary><c>CUBLAS_OP_N</c>.</summary>
    public const int OpN = 0;
    /// <summary><c>CUBLAS_OP_T</c>.</summary>
    public const int OpT = 1;
    /// <summary><c>CUBLAS_DEFAULT_MATH</c>: full FP32 for Sgemm.</summary>
    public const int DefaultMath = 0;
    /// <summary><c>CUBLAS_TF32_TENSOR_OP_MATH</c>.</summary>
    public const int Tf32TensorOpMath = 3;

    [LibraryImport(Library)] internal static partial int cublasCreate_v2(out nint handle);
    [LibraryImport(Library)] internal static partial int cublasDestroy_v2(nint handle);
    [LibraryImport(Library)] internal static partial int cublasSetStream_v2(nint handle, nint stream);
    [LibraryImport(Library)] internal static partial int cublasSetMathMode(nint handle, int mode);
    [LibraryImport(Library)] internal static partial int cublasGetVersion_v2(nint handle, out int version);
    [LibraryImport(Library)] internal static partial nint cublasGetStatusString(int status);
    [LibraryImport(Library)]
    internal static partial int cublasSgemm_v2(nint handle, int transA, int transB, int m, int n, int k,
        float* alpha, nint a, int lda, nint b, int ldb, float* beta, nint c, int ldc);

    /// <summary>Throws a <see cref="CublasException"/> naming the call when <paramref name="status"/> is not CUBLAS_STATUS_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        string text;
        try
        {
            text = Marshal.PtrToStringUTF8(cublasGetStatusString(status)) ?? $"cublasStatus {status}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            text = $"cublasStatus {status}";
        }
        throw new CublasException(CallName.Of(call), status, text);
    }
}
