using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Max pooling over square windows (<see cref="Ops.MaxPool2d"/>); padding cells never win.</summary>
/// <param name="Kernel">Window height and width.</param>
/// <param name="Stride">Step between windows.</param>
/// <param name="Pad">Padding on every side.</param>
public sealed record MaxPoolStep(int Kernel, int Stride, int Pad) : Step
{
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.MaxPool2d(x, Kernel, Stride, Pad);
}
