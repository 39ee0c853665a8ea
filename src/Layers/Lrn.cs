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
    protected override void Lower(Lowering to) => to.Emit(new LrnStep(Size, Alpha, Beta, K));
}
