namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>Matrix product of a [m, k] and b [k, n], giving [m, n] (one GEMM).</summary>
    /// <remarks>Backward: dA = dC·Bᵀ, dB = Aᵀ·dC, each one GEMM with a transpose flag (no data is transposed).</remarks>
    /// <exception cref="ArgumentException">Either is not a matrix, or the inner dimensions differ.</exception>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        var backend = BackendOf("MatMul", a, b);
        if (a.Rank != 2 || b.Rank != 2) throw ShapeError("MatMul", "both inputs must be matrices", a, b);
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        if (b.Shape[0] != k) throw ShapeError("MatMul", $"inner dimensions {k} and {b.Shape[0]} differ", a, b);
        var shape = new Shape(m, n);
        var c = Alloc(backend, shape);
        backend.Gemm(false, false, m, n, k, 1f, a.Buffer, b.Buffer, 0f, c);
        return Tape.Record(shape, c, [a, b], g =>
        {
            Tensor? da = null, db = null;
            if (Tape.NeedsGradient(a))
            {
                var buf = Alloc(backend, a.Shape);
                backend.Gemm(false, true, m, k, n, 1f, g.Buffer, b.Buffer, 0f, buf);
                da = new Tensor(a.Shape, buf);
            }
            if (Tape.NeedsGradient(b))
            {
                var buf = Alloc(backend, b.Shape);
                backend.Gemm(true, false, k, n, m, 1f, a.Buffer, g.Buffer, 0f, buf);
                db = new Tensor(b.Shape, buf);
            }
            return [da, db];
        });
    }
}
