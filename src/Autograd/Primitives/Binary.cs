using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>a + b elementwise, with NumPy broadcasting.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryKernel.Add, "Add", a, b, (g, y) => [
        Tape.NeedsGradient(a) ? Alias(g) : null,
        Tape.NeedsGradient(b) ? Alias(g) : null]);

    /// <summary>a − b elementwise, with NumPy broadcasting.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(BinaryKernel.Sub, "Sub", a, b, (g, y) => [
        Tape.NeedsGradient(a) ? Alias(g) : null,
        Tape.NeedsGradient(b) ? Neg(g) : null]);

    /// <summary>a · b elementwise, with NumPy broadcasting.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(BinaryKernel.Mul, "Mul", a, b, (g, y) => [
        Tape.NeedsGradient(a) ? Mul(g, b) : null,
        Tape.NeedsGradient(b) ? Mul(g, a) : null]);

    /// <summary>a / b elementwise, with NumPy broadcasting.</summary>
    /// <remarks>d/da = 1/b; d/db = −a/b² = −y/b.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Div(Tensor a, Tensor b) => Binary(BinaryKernel.Div, "Div", a, b, (g, y) =>
    {
        var ga = Div(g, b);
        Tensor? gb = null;
        if (Tape.NeedsGradient(b))
        {
            using var t = Mul(ga, y);
            gb = Neg(t);
        }
        if (!Tape.NeedsGradient(a)) { ga.Dispose(); return [null, gb]; }
        return [ga, gb];
    });

    private static Tensor Binary(BinaryKernel op, string name, Tensor a, Tensor b, Func<Tensor, Tensor, Tensor?[]> backward)
    {
        var backend = BackendOf(name, a, b);
        var shape = Broadcasting.Result(a.Shape, b.Shape) ?? throw ShapeError(name, "shapes do not broadcast", a, b);
        var y = Alloc(backend, shape);
        backend.Binary(op, a.Buffer, Broadcasting.PadTo(a.Shape, shape.Rank), b.Buffer, Broadcasting.PadTo(b.Shape, shape.Rank), y, shape);
        Tensor? result = null;
        result = Tape.Record(shape, y, [a, b], g => backward(g, result!));
        return result;
    }
}
