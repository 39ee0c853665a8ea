using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// Max pooling over square windows: [C, H, W] → [C, (H + 2·Pad − Kernel)/Stride + 1, (W + 2·Pad − Kernel)/Stride + 1].
/// The paper's overlapping pooling is Kernel 3, Stride 2.
/// </summary>
/// <param name="Name">Layer name.</param>
/// <param name="Kernel">Window height and width.</param>
/// <param name="Stride">Step between windows.</param>
/// <param name="Pad">Padding on every side (padding cells never win); at most Kernel/2.</param>
public sealed record MaxPool(string Name, int Kernel = 3, int Stride = 2, int Pad = 0) : Layer(Name)
{
    /// <inheritdoc/>
    public override Shape OutputShape(Shape input) => PooledShape(input, Kernel, Stride, Pad);

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new MaxPoolStep(Kernel, Stride, Pad));
}
