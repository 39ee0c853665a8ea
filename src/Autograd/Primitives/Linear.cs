using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// A fully connected layer: y = x·wᵀ + b for x [N, in], w [out, in] (the PyTorch layout) and optional b [out].
    /// One GEMM with a transpose flag; composing it from Transpose and MatMul would copy the weights every step.
    /// </summary>
    /// <remarks>Backward: dx = dy·w, dw = dyᵀ·x, db = Σ_rows dy.</remarks>
    /// <exception cref="ArgumentException">Shapes disagree (the message gives them).</exception>
    public static Tensor Linear(Tensor x, Tensor w, Tensor? b = null)
    {
        Tensor[] inputs = b is null ? [x, w] : [x, w, b];
        var backend = BackendOf("Linear", inputs);
        if (x.Rank != 2 || w.Rank != 2) throw ShapeError("Linear", "input must be [N, in] and weight [out, in]", inputs);
        int n = x.Shape[0], inF = x.Shape[1], outF = w.Shape[0];
        if (w.Shape[1] != inF) throw ShapeError("Linear", $"input has {inF} features but the weight expects {w.Shape[1]}", inputs);
        if (b is not null && (b.Rank != 1 || b.Shape[0] != outF)) throw ShapeError("Linear", $"bias must be [{outF}]", inputs);
        var shape = new Shape(n, outF);
        var y = Alloc(backend, shape);
        var rowShape = new Shape(1, outF);
        if (b is not null)
        {
            backend.Broadcast(b.Buffer, rowShape, y, shape);
            backend.Gemm(false, true, n, outF, inF, 1f, x.Buffer, w.Buffer, 1f, y);
        }
        else backend.Gemm(false, true, n, outF, inF, 1f, x.Buffer, w.Buffer, 0f, y);
        return Tape.Record(shape, y, inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            if (Tape.NeedsGradient(x))
            {
                var dx = Alloc(backend, x.Shape);
                backend.Gemm(false, false, n, inF, outF, 1f, g.Buffer, w.Buffer, 0f, dx);
                grads[0] = new Tensor(x.Shape, dx);
            }
            if (Tape.NeedsGradient(w))
            {
                var dw = Alloc(backend, w.Shape);
                backend.Gemm(true, false, outF, inF, n, 1f, g.Buffer, x.Buffer, 0f, dw);
                grads[1] = new Tensor(w.Shape, dw);
            }
            if (b is not null && Tape.NeedsGradient(b))
            {
                var db = Alloc(backend, b.Shape);
                backend.Reduce(ReduceKernel.Sum, g.Buffer, shape, db, rowShape);
                grads[2] = new Tensor(b.Shape, db);
            }
            return grads;
        });
    }
}
