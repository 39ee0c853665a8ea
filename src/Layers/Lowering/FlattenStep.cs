using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Collapses every axis after the batch axis into one, row-major (<see cref="Ops.Flatten"/>).</summary>
public sealed record FlattenStep : Step
{
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.Flatten(x);
}
