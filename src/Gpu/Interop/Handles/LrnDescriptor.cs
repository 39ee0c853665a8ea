namespace AlexNet.Gpu.Interop.Handles;

/// <summary>A cuDNN cross-channel LRN descriptor (alpha in the cuDNN convention: divided by n inside the library).</summary>
internal sealed class LrnDescriptor : NativeHandle
{
    private LrnDescriptor(nint value) : base(value) { }

    /// <summary>Creates the descriptor.</summary>
    public static LrnDescriptor Create(int n, double alpha, double beta, double k)
    {
        Cudnn.Check(Cudnn.cudnnCreateLRNDescriptor(out var d));
        var result = new LrnDescriptor(d);
        Cudnn.Check(Cudnn.cudnnSetLRNDescriptor(d, (uint)n, alpha, beta, k));
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Cudnn.cudnnDestroyLRNDescriptor(handle) == 0;
}
