using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>The rectified linear unit max(x, 0), elementwise; any input shape.</summary>
/// <param name="Name">Layer name.</param>
public sealed record Relu(string Name) : Layer(Name)
{
    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new ReluStep());
}
