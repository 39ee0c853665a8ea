using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Collapses a per-example shape into one axis in row-major order: [C, H, W] → [C·H·W].</summary>
/// <param name="Name">Layer name.</param>
/// <remarks>Flattening stacked towers' maps [towers·C, H, W] gives the towers' flattened outputs one after another,
/// exactly as flattening each tower and concatenating.</remarks>
public sealed record Flatten(string Name) : Layer(Name)
{
    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1) throw ShapeError(input, "at least one axis");
        return new Shape(input.Count);
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new FlattenStep());
}
