using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as every framework) of x [N, C, H, W] with w [O, C/groups, kh, kw] and optional
    /// bias [O]; output [N, O, (H + 2p − kh)/s + 1, (W + 2p − kw)/s + 1].
    /// </summary>
    /// <param name="x">Input, NCHW.</param>
    /// <param name="w">Weights in the PyTorch layout.</param>
    /// <param name="bias">Optional bias, one per output channel.</param>
    /// <param name="stride">Stride in both directions (≥ 1).</param>
    /// <param name="padding">Zero padding on every side (≥ 0).</param>
    /// <param name="groups">Channel groups: input and output channels split into this many independent convolutions
    /// (the paper's two towers are groups = 2).</param>
    /// <exception cref="ArgumentException">Wrong ranks, weights whose input channels do not match, a wrong bias, or a geometry
    /// that breaks <see cref="ConvGeometry.FindProblem"/>'s rule (channels that do not divide by groups, non-positive
    /// sizes, a kernel larger than the padded input). The message gives the shapes.</exception>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int groups = 1)
    {
        Tensor[] inputs = bias is null ? [x, w] : [x, w, bias];
        var backend = BackendOf("Conv2d", inputs);
        var g = ConvGeometryOf(x, w, bias, stride, padding, groups, inputs);
        var shape = new Shape(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        var y = Alloc(backend, shape);
        backend.Conv2dForward(x.Buffer, w.Buffer, bias?.Buffer, y, g);
        return Tape.Record(shape, y, inputs, dy =>
        {
            var grads = new Tensor?[inputs.Length];
            if (Tape.NeedsGradient(x))
            {
                var dx = Alloc(backend, x.Shape);
                backend.Conv2dBackwardData(dy.Buffer, w.Buffer, dx, g);
                grads[0] = new Tensor(x.Shape, dx);
            }
            if (Tape.NeedsGradient(w))
            {
                var dw = Alloc(backend, w.Shape);
                backend.Conv2dBackwardFilter(x.Buffer, dy.Buffer, dw, g);
                grads[1] = new Tensor(w.Shape, dw);
            }
            if (bias is not null && Tape.NeedsGradient(bias))
            {
                var db = Alloc(backend, bias.Shape);
                backend.Conv2dBackwardBias(dy.Buffer, db, g);
                grads[2] = new Tensor(bias.Shape, db);
            }
            return grads;
        });
    }

    private static ConvGeometry ConvGeometryOf(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int groups, Tensor[] inputs)
    {
        if (x.Rank != 4) throw ShapeError("Conv2d", "input must be [N, C, H, W]", inputs);
        if (w.Rank != 4) throw ShapeError("Conv2d", "weight must be [O, C/groups, kh, kw]", inputs);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        var g = new ConvGeometry(n, c, h, wd, o, kh, kw, stride, stride, padding, padding, groups);
        if (g.FindProblem() is { } problem) throw ShapeError("Conv2d", problem, inputs);
        if (cg != c / groups)
            throw ShapeError("Conv2d", $"weight expects {cg} input channels per group but the input has {c} channels / {groups} groups", inputs);
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != o))
            throw ShapeError("Conv2d", $"bias must be [{o}]", inputs);
        return g;
    }
}
