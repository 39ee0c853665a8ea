namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuBLAS handle bound to one stream and math mode.</summary>
internal sealed class CublasHandle : NativeHandle
{
    private CublasHandle(nint value) : base(value) { }

    /// <summary>Creates a handle whose work goes to <paramref name="stream"/>.</summary>
    public static CublasHandle Create(nint stream, int mathMode)
    {
        Cublas.Check(Cublas.cublasCreate_v2(out var h));
        var result = new CublasHandle(h);
        Cublas.Check(Cublas.cublasSetStream_v2(h, stream));
        Cublas.Check(Cublas.cublasSetMathMode(h, mathMode));
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cublas.cublasDestroy_v2(handle) == 0;
}
