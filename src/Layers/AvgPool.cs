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
    public override Shape OutputShape(Shape input) => PooledShape(input, Kernel, Stride, Pad);

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new AvgPoolStep(Kernel, Stride, Pad));
}
