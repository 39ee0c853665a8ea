using System.Collections.Immutable;
using AlexNet.Layers;

namespace AlexNet.Facade;

/// <summary>Builds the per-tower body of a <see cref="AlexNet.Layers.Towers"/> block inside
/// <see cref="LayerBuilder{TSelf}.Towers"/>; widths are per tower.</summary>
public sealed class TowerBuilder : LayerBuilder<TowerBuilder>
{
    internal TowerBuilder(ImmutableList<Layer> layers, ImmutableHashSet<string> outerNames) : base(layers, outerNames)
    {
    }

    private protected override TowerBuilder With(ImmutableList<Layer> layers, ImmutableHashSet<string> outerNames) => new(layers, outerNames);
}
