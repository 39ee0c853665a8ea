using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// Local response normalisation across channels in the paper's convention:
/// b_i = a_i / (K + Alpha·Σ_{j=max(0,i−Size/2)}^{min(C−1,i+Size/2)} a_j²)^Beta, on [C, H, W] inputs.
/// </summary>
/// <param name="Name">Layer name.</param>
/// <param name="Size">Window n (odd); the paper uses 5.</param>
/// <param name="Alpha">α, <b>not</b> divided by n (cuDNN and PyTorch divide theirs: use α·n there); the paper uses 1e-4.</param>
/// <param name="Beta">β; the paper uses 0.75.</param>
/// <param name="K">k; the paper uses 2.</param>
/// <remarks>Inside a <see cref="Towers"/> block every tower normalises over its own maps only, as the paper's GPUs did:
/// windows never cross from one tower's channels into another's.</remarks>
public sealed record Lrn(string Name, int Size = 5, float Alpha = 1e-4f, float Beta = 0.75f, float K = 2f) : Layer(Name)
{
    internal override string Kind => "Lrn";

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Size < 1 || Size % 2 == 0) throw SettingError($"Size must be a positive odd number, got {Size}");
        CheckFinite(Alpha, nameof(Alpha), nonNegative: true);
        CheckFinite(Beta, nameof(Beta), nonNegative: true);
        CheckFinite(K, nameof(K), nonNegative: true);
        if (input.Rank != 3) throw ShapeError(input, "[channels, height, width]");
        return input;
    }

    /// <inheritdoc/>
    public override Tensor Apply(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.Lrn(x, Size, Alpha, Beta, K);

    /// <summary>
    /// All towers in one LRN call: [N, T·C, H, W] viewed as [N·T, C, H, W] puts each tower's maps in an example of their
    /// own, so windows cannot cross towers. The views share storage, so nothing is copied.
    /// </summary>
    internal override Tensor ApplyStacked(TensorMap parameters, Tensor x, int towers, bool replicated, Mode mode, RandomKey key)
    {
        if (replicated || towers == 1) return base.ApplyStacked(parameters, x, towers, replicated, mode, key);
        int n = x.Shape[0], c = x.Shape[1] / towers, h = x.Shape[2], w = x.Shape[3];
        using var perTower = Ops.Reshape(x, n * towers, c, h, w);
        using var normalised = Ops.Lrn(perTower, Size, Alpha, Beta, K);
        return Ops.Reshape(normalised, n, towers * c, h, w);
    }
}
