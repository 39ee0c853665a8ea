using System.Collections.Immutable;
using AlexNet.Autograd;
using AlexNet.Layers;

namespace AlexNet.Facade;

/// <summary>Builds a <see cref="Network"/> from an input shape and a chain of layer calls (see <see cref="Net"/>).</summary>
public sealed class NetBuilder : LayerBuilder<NetBuilder>
{
    internal NetBuilder(Shape inputShape, ImmutableList<Layer> layers) : base(layers, ImmutableHashSet.Create<string>(StringComparer.Ordinal)) =>
        InputShape = inputShape;

    /// <summary>The per-example input shape.</summary>
    public Shape InputShape { get; }

    /// <summary>Validates the layers and infers every shape (<see cref="Network.Create"/>).</summary>
    /// <exception cref="ArgumentException">A name is invalid or repeated, a setting is invalid, or a layer does not fit
    /// its input (the message names the layer and both shapes).</exception>
    public Network Build() => Network.Create(InputShape, Layers);

    private protected override NetBuilder With(ImmutableList<Layer> layers, ImmutableHashSet<string> outerNames) => new(InputShape, layers);
}
