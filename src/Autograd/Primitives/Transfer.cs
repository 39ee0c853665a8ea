namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Copies x to another device (an explicit transfer; operations never move data implicitly). Differentiable: the
    /// gradient travels back to x's device. Moving to the device x is already on gives a copy.
    /// </summary>
    public static Tensor To(Tensor x, Kernels.IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var source = BackendOf("To", x);
        if (ReferenceEquals(source, backend)) return Copy(x);
        var host = new float[x.Count];
        source.Download(x.Buffer, host);
        var y = backend.Upload(host);
        return Tape.Record(x.Shape, y, [x], g => [To(g, source)]);
    }
}
