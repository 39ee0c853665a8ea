using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Max pooling over windows of <paramref name="kernel"/>×<paramref name="kernel"/> moved by <paramref name="stride"/>
    /// (the paper's overlapping pooling is kernel 3, stride 2); padding cells never win.
    /// </summary>
    /// <remarks>Backward routes each output's gradient to the first maximal element of its window (row-major order);
    /// overlapping windows accumulate.</remarks>
    /// <exception cref="ArgumentException">x is not [N, C, H, W], or the geometry breaks <see cref="PoolGeometry.FindProblem"/>'s
    /// rule (sizes not positive, padding more than half the kernel, a window larger than the padded input).</exception>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride, int padding = 0)
    {
        var backend = BackendOf("MaxPool2d", x);
        if (x.Rank != 4) throw ShapeError("MaxPool2d", "input must be [N, C, H, W]", x);
        var g = new PoolGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], kernel, kernel, stride, stride, padding, padding);
        if (g.FindProblem() is { } problem) throw ShapeError("MaxPool2d", problem, x);
        var shape = new Shape(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        var y = Alloc(backend, shape);
        backend.MaxPool2dForward(x.Buffer, y, g);
        Tensor? output = null;
        output = Tape.Record(shape, y, [x], dy =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.MaxPool2dBackward(x.Buffer, output!.Buffer, dy.Buffer, dx, g);
            return [new Tensor(x.Shape, dx)];
        });
        return output;
    }
}
