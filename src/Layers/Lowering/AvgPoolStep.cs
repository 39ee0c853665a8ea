using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Average pooling over square windows (<see cref="Ops.AvgPool2d"/>); padding cells count as zeros in the
/// average (PyTorch's <c>count_include_pad=True</c>).</summary>
/// <param name="Kernel">Window height and width.</param>
/// <param name="Stride">Step between windows.</param>
/// <param name="Pad">Zero padding on every side.</param>
public sealed record AvgPoolStep(int Kernel, int Stride, int Pad) : Step
{
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.AvgPool2d(x, Kernel, Stride, Pad);
}
