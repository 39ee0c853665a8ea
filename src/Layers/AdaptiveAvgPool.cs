using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// Adaptive average pooling to a fixed size: [C, H, W] → [C, OutHeight, OutWidth] for any H and W, with PyTorch's
/// windows (output row i averages input rows [⌊i·H/OutHeight⌋, ⌈(i+1)·H/OutHeight⌉), columns likewise). Smaller maps are
/// upsampled by repetition: torchvision's AlexNet pools to 6×6 whatever the image size.
/// </summary>
/// <param name="Name">Layer name.</param>
/// <param name="OutHeight">Output height.</param>
/// <param name="OutWidth">Output width.</param>
public sealed record AdaptiveAvgPool(string Name, int OutHeight = 6, int OutWidth = 6) : Layer(Name)
{
    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (OutHeight < 1 || OutWidth < 1) throw SettingError($"the output size must be at least 1×1, got {OutHeight}×{OutWidth}");
        if (input.Rank != 3) throw ShapeError(input, "[channels, height, width]");
        if (input[0] < 1 || input[1] < 1 || input[2] < 1) throw ShapeError(input, "[≥ 1, ≥ 1, ≥ 1]");
        return new Shape(input[0], OutHeight, OutWidth);
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new AdaptiveAvgPoolStep(OutHeight, OutWidth));
}
