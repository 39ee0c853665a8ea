namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A loaded CUDA module (compiled kernels) in the current context.</summary>
internal sealed class CudaModule : NativeHandle
{
    private CudaModule(nint value) : base(value) { }

    /// <summary>Loads a CUBIN or NUL-terminated PTX image.</summary>
    public static unsafe CudaModule Load(byte[] image)
    {
        fixed (byte* p = image)
        {
            CudaDriver.Check(CudaDriver.cuModuleLoadData(out var m, p));
            return new CudaModule(m);
        }
    }

    /// <summary>The function <paramref name="name"/> (an <c>extern "C"</c> kernel).</summary>
    public nint Function(string name)
    {
        CudaDriver.Check(CudaDriver.cuModuleGetFunction(out var f, Value, name));
        return f;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaDriver.cuModuleUnload(handle) == 0;
}
