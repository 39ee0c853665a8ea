using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Average pooling over windows of <paramref name="kernel"/>×<paramref name="kernel"/> moved by
    /// <paramref name="stride"/>, with PyTorch's <c>AvgPool2d</c> semantics for <c>count_include_pad=True</c> and
    /// <c>ceil_mode=False</c>: padding cells count as zeros and every output is its window's sum divided by
    /// kernel², also where the window overlaps the padding.
    /// </summary>
    /// <remarks>Backward gives each input element of a window dy / kernel² (padding cells are dropped); overlapping
    /// windows accumulate.</remarks>
    /// <exception cref="ArgumentException">x is not [N, C, H, W], sizes are not positive, padding is more than half
    /// the kernel, the window is larger than the padded input, or x is empty.</exception>
    public static Tensor AvgPool2d(Tensor x, int kernel, int stride, int padding = 0)
    {
        var backend = BackendOf("AvgPool2d", x);
        if (x.Rank != 4) throw ShapeError("AvgPool2d", "input must be [N, C, H, W]", x);
        if (kernel < 1 || stride < 1) throw ShapeError("AvgPool2d", $"kernel ({kernel}) and stride ({stride}) must be ≥ 1", x);
        if (padding < 0 || 2 * padding > kernel) throw ShapeError("AvgPool2d", $"padding {padding} must be in [0, kernel/2]", x);
        if (x.Shape[2] + 2 * padding < kernel || x.Shape[3] + 2 * padding < kernel)
            throw ShapeError("AvgPool2d", $"window {kernel} is larger than the padded input", x);
        if (x.Count == 0) throw ShapeError("AvgPool2d", "input is empty", x);
        var g = new PoolGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], kernel, kernel, stride, stride, padding, padding);
        var shape = new Shape(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        var y = Alloc(backend, shape);
        backend.AvgPool2dForward(x.Buffer, y, g);
        return Tape.Record(shape, y, [x], dy =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.AvgPool2dBackward(dy.Buffer, dx, g);
            return [new Tensor(x.Shape, dx)];
        });
    }
}
