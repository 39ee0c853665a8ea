using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => Unary(UnaryKernel.Neg, "Neg", x, (g, y) => Neg(g));

    /// <summary>eˣ; its gradient is eˣ itself.</summary>
    public static Tensor Exp(Tensor x) => Unary(UnaryKernel.Exp, "Exp", x, (g, y) => Mul(g, y));

    /// <summary>ln x (NaN for negative x, −∞ at 0); its gradient is 1/x.</summary>
    public static Tensor Log(Tensor x) => Unary(UnaryKernel.Log, "Log", x, (g, y) => Div(g, x));

    /// <summary>x².</summary>
    public static Tensor Square(Tensor x) => Mul(x, x);

    private static Tensor Unary(UnaryKernel op, string name, Tensor x, Func<Tensor, Tensor, Tensor> backward)
    {
        var backend = BackendOf(name, x);
        var y = Alloc(backend, x.Shape);
        backend.Unary(op, x.Buffer, y, x.Count);
        Tensor? result = null;
        result = Tape.Record(x.Shape, y, [x], g => [backward(g, result!)]);
        return result;
    }
}
