using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>max(x, 0) elementwise (<see cref="Ops.Relu"/>).</summary>
public sealed record ReluStep : Step
{
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.Relu(x);
}
