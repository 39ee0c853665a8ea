using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>The rectified linear unit max(x, 0), elementwise; any input shape.</summary>
/// <param name="Name">Layer name.</param>
public sealed record Relu(string Name) : Layer(Name)
{
    internal override string Kind => "Relu";

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }

    /// <inheritdoc/>
    public override Tensor Apply(TensorMap parameters, Tensor x, Mode mode, RandomKey key) => Ops.Relu(x);

    internal override Tensor ApplyStacked(TensorMap parameters, Tensor x, int towers, bool replicated, Mode mode, RandomKey key) =>
        Ops.Relu(x);
}
