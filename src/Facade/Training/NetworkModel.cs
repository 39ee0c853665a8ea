using AlexNet.Layers;

namespace AlexNet.Facade;

/// <summary>Adapts a <see cref="Network"/> to the trainer's <see cref="ModelFunction"/>.</summary>
public static class NetworkModel
{
    /// <summary>The network's forward pass (logits), train mode when training is true, eval mode otherwise.</summary>
    public static ModelFunction Of(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return (parameters, images, training, key) => network.Apply(parameters, images, training ? Mode.Train : Mode.Eval, key);
    }
}
