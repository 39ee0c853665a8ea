using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// Average pooling over square windows: [C, H, W] → [C, (H + 2·Pad − Kernel)/Stride + 1, (W + 2·Pad − Kernel)/Stride + 1].
/// Padding cells count as zeros and every window divides by Kernel² (PyTorch's <c>AvgPool2d</c> with
/// <c>count_include_pad=True</c>, <c>ceil_mode=False</c>).
/// </summary>
/// <param name="Name">Layer name.</param>
/// <param name="Kernel">Window height and width.</param>
/// <param name="Stride">Step between windows.</param>
/// <param name="Pad">Padding on every side; at most Kernel/2.</param>
public sealed record AvgPool(string Name, int Kernel = 2, int Stride = 2, int Pad = 0) : Layer(Name)
{
    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Kernel < 1) throw SettingError($"Kernel must be ≥ 1, got {Kernel}");
        if (Stride < 1) throw SettingError($"Stride must be ≥ 1, got {Stride}");
        if (Pad < 0 || 2 * Pad > Kernel) throw SettingError($"Pad must be in [0, Kernel/2], got {Pad}");
        if (input.Rank != 3) throw ShapeError(input, "[channels, height, width]");
        int min = Math.Max(1, Kernel - 2 * Pad);
        if (input[0] < 1 || input[1] < min || input[2] < min)
            throw ShapeError(input, $"[≥ 1, ≥ {min}, ≥ {min}] for a {Kernel}×{Kernel} window with pad {Pad}");
        return new Shape(input[0], (input[1] + 2 * Pad - Kernel) / Stride + 1, (input[2] + 2 * Pad - Kernel) / Stride + 1);
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new AvgPoolStep(Kernel, Stride, Pad));
}
