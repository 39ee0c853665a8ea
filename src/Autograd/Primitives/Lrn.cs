using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Local response normalisation across channels, exactly as the paper:
    /// b_i = a_i / (k + α·Σ_{j=max(0,i−n/2)}^{min(C−1,i+n/2)} a_j²)^β (windows truncated at the channel edges).
    /// The paper's values are n = 5, α = 1e-4, β = 0.75, k = 2.
    /// </summary>
    /// <remarks>
    /// α is <b>not</b> divided by n. cuDNN's <c>cudnnSetLRNDescriptor</c> and PyTorch's <c>LocalResponseNorm</c> divide
    /// their alpha by n, so this layer equals theirs with alpha = α·n (5e-4 for the paper); passing 1e-4 there makes
    /// the layer five times weaker. Backward, with s_i = k + α Σ a_j² and y_i = a_i s_i^−β:
    /// dL/da_i = g_i s_i^−β − 2αβ a_i Σ_{j: i ∈ window(j)} g_j y_j / s_j.
    /// </remarks>
    /// <exception cref="ArgumentException">x is not [N, C, H, W], or the geometry breaks <see cref="LrnGeometry.FindProblem"/>'s
    /// rule (a channel, row or column count of 0, n not a positive odd number, α, β or k negative or not finite).</exception>
    public static Tensor Lrn(Tensor x, int size = 5, float alpha = 1e-4f, float beta = 0.75f, float k = 2f)
    {
        var backend = BackendOf("Lrn", x);
        if (x.Rank != 4) throw ShapeError("Lrn", "input must be [N, C, H, W]", x);
        var g = new LrnGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], size, alpha, beta, k);
        if (g.FindProblem() is { } problem) throw ShapeError("Lrn", problem, x);
        var y = Alloc(backend, x.Shape);
        backend.LrnForward(x.Buffer, y, g);
        Tensor? output = null;
        output = Tape.Record(x.Shape, y, [x], dy =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.LrnBackward(x.Buffer, output!.Buffer, dy.Buffer, dx, g);
            return [new Tensor(x.Shape, dx)];
        });
        return output;
    }
}
