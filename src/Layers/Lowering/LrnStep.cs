using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Local response normalisation across channels in the paper's convention (<see cref="Ops.Lrn"/>: α is
/// <b>not</b> divided by the window); with <see cref="Step.Groups"/> &gt; 1 windows never cross towers.</summary>
/// <param name="Size">Window n (odd).</param>
/// <param name="Alpha">α, not divided by n.</param>
/// <param name="Beta">β.</param>
/// <param name="K">k.</param>
public sealed record LrnStep(int Size, float Alpha, float Beta, float K) : Step
{
    /// <remarks>[N, G·C, H, W] viewed as [N·G, C, H, W] puts each tower's maps in an example of their own, so one call
    /// normalises every tower; the views share storage, so nothing is copied.</remarks>
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key)
    {
        if (Groups == 1) return Ops.Lrn(x, Size, Alpha, Beta, K);
        int n = x.Shape[0], c = x.Shape[1] / Groups, h = x.Shape[2], w = x.Shape[3];
        using var perTower = Ops.Reshape(x, n * Groups, c, h, w);
        using var normalised = Ops.Lrn(perTower, Size, Alpha, Beta, K);
        return Ops.Reshape(normalised, n, Groups * c, h, w);
    }
}
