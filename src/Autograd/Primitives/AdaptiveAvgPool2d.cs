using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Adaptive average pooling to <paramref name="outHeight"/>×<paramref name="outWidth"/> with PyTorch's
    /// <c>AdaptiveAvgPool2d</c> windows: output row i averages input rows [⌊i·H/outHeight⌋, ⌈(i+1)·H/outHeight⌉), and
    /// likewise for columns. The output may be larger than the input: torchvision's AlexNet pools its 1×1 maps of a
    /// 64×64 image to 6×6, each output then repeating one input.
    /// </summary>
    /// <remarks>Backward gives each input element of a window dy divided by that window's element count; overlapping
    /// windows accumulate.</remarks>
    /// <exception cref="ArgumentException">x is not [N, C, H, W], an output size is not positive, or x is empty.</exception>
    public static Tensor AdaptiveAvgPool2d(Tensor x, int outHeight, int outWidth)
    {
        var backend = BackendOf("AdaptiveAvgPool2d", x);
        if (x.Rank != 4) throw ShapeError("AdaptiveAvgPool2d", "input must be [N, C, H, W]", x);
        if (outHeight < 1 || outWidth < 1)
            throw ShapeError("AdaptiveAvgPool2d", $"output size {outHeight}×{outWidth} must be at least 1×1", x);
        if (x.Count == 0) throw ShapeError("AdaptiveAvgPool2d", "input is empty", x);
        var g = new AdaptivePoolGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], outHeight, outWidth);
        var shape = new Shape(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        var y = Alloc(backend, shape);
        backend.AdaptiveAvgPool2dForward(x.Buffer, y, g);
        return Tape.Record(shape, y, [x], dy =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.AdaptiveAvgPool2dBackward(dy.Buffer, dx, g);
            return [new Tensor(x.Shape, dx)];
        });
    }
}
