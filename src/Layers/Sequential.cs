using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>A named group of layers run one after another; it behaves exactly as its layers written inline.</summary>
/// <param name="Name">Name of the group (its layers keep their own names and parameter paths).</param>
/// <param name="Layers">The layers, at least one.</param>
public sealed record Sequential(string Name, LayerList Layers) : Layer(Name)
{
    /// <summary>A group of <paramref name="layers"/>.</summary>
    public Sequential(string name, params Layer[] layers) : this(name, new LayerList(layers))
    {
    }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Layers is null || Layers.Count == 0) throw SettingError("a Sequential needs at least one layer");
        var shape = input;
        foreach (var layer in Layers) shape = layer.OutputShape(shape);
        return shape;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> ParameterSpecs(Shape input)
    {
        OutputShape(input);
        var specs = new List<ParameterSpec>();
        var shape = input;
        foreach (var layer in Layers)
        {
            specs.AddRange(layer.ParameterSpecs(shape));
            shape = layer.OutputShape(shape);
        }
        return specs;
    }

    /// <summary>The group's name and its layers, e.g. <c>Sequential { Name = block, Layers = [Relu { Name = r }] }</c>.</summary>
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Layers = ").Append(Layers);
        return true;
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to)
    {
        for (int i = 0; i < Layers.Count; i++) to.Lower(Layers[i], to.Towers, to.SharedInput && i == 0, to.FirstTower);
    }
}
