namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>max(x, 0).</summary>
    /// <remarks>The gradient is 1 where x &gt; 0 and 0 elsewhere, <b>including at exactly x = 0</b> (the convention of
    /// PyTorch and cuDNN, so that dead units stay dead).</remarks>
    public static Tensor Relu(Tensor x)
    {
        var backend = BackendOf("Relu", x);
        var y = Alloc(backend, x.Shape);
        backend.Unary(Kernels.UnaryKernel.Relu, x.Buffer, y, x.Count);
        return Tape.Record(x.Shape, y, [x], g =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.ReluBackward(x.Buffer, g.Buffer, dx, x.Count);
            return [new Tensor(x.Shape, dx)];
        });
    }
}
