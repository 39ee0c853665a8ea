using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Softmax over the features of a flat input (<see cref="Ops.Softmax"/>). A network's final softmax is not run
/// by <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/>, which returns logits.</summary>
public sealed record SoftmaxStep : Step
{
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.Softmax(x);
}
