namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>Softmax over the last axis, computed stably (the row maximum is subtracted first).</summary>
    /// <remarks>Backward: dx = y ⊙ (dy − Σ dy ⊙ y).</remarks>
    public static Tensor Softmax(Tensor x) => SoftmaxCore(x, log: false);

    /// <summary>log(softmax(x)) over the last axis: x − max − log Σ exp(x − max), finite for any finite input.</summary>
    /// <remarks>Backward: dx = dy − softmax(x)·Σ dy.</remarks>
    public static Tensor LogSoftmax(Tensor x) => SoftmaxCore(x, log: true);

    private static Tensor SoftmaxCore(Tensor x, bool log)
    {
        string name = log ? "LogSoftmax" : "Softmax";
        var backend = BackendOf(name, x);
        if (x.Rank < 1 || x.Shape[-1] == 0) throw ShapeError(name, "needs a non-empty last axis", x);
        int cols = x.Shape[-1], rows = x.Count / cols;
        var y = Alloc(backend, x.Shape);
        backend.Softmax(x.Buffer, y, rows, cols, log);
        Tensor? output = null;
        output = Tape.Record(x.Shape, y, [x], dy =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.SoftmaxBackward(output!.Buffer, dy.Buffer, dx, rows, cols, log);
            return [new Tensor(x.Shape, dx)];
        });
        return output;
    }
}
