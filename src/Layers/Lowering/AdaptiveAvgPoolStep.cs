using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Average pooling to a fixed output size with PyTorch's windows (<see cref="Ops.AdaptiveAvgPool2d"/>):
/// output cell i averages input rows ⌊i·H/out⌋ to ⌈(i+1)·H/out⌉ − 1, and the same along the width.</summary>
/// <param name="OutHeight">Output height.</param>
/// <param name="OutWidth">Output width.</param>
public sealed record AdaptiveAvgPoolStep(int OutHeight, int OutWidth) : Step
{
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.AdaptiveAvgPool2d(x, OutHeight, OutWidth);
}
