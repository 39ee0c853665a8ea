using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Inverted dropout (<see cref="Ops.Dropout"/>) in training, the identity in evaluation.</summary>
/// <param name="P">Drop probability in [0, 1).</param>
/// <param name="FirstTower">Inside a Towers block, the index of the first tower the step runs for: tower t draws its
/// mask from the layer's key folded with t, so the fused and the placed pass draw the same masks. Null outside blocks.</param>
public sealed record DropoutStep(float P, int? FirstTower) : Step
{
    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key)
    {
        var layerKey = LayerKeys.For(key, Layer);
        bool train = mode == Mode.Train;
        if (FirstTower is not int first) return Ops.Dropout(x, P, layerKey, train);
        return PerGroup(parameters, x, (_, share, g) => Ops.Dropout(share, P, layerKey.Fold((ulong)(first + g)), train));
    }
}
