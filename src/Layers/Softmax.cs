using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Softmax over the features of a flat [features] input: class probabilities.</summary>
/// <param name="Name">Layer name.</param>
/// <remarks>When it is the last layer of a <see cref="Network"/>, <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/>
/// stops before it and returns logits (the loss, softmax cross-entropy, fuses it), and
/// <see cref="Inference.PredictProbabilities(Network, TensorMap, Tensor)"/> applies it.</remarks>
public sealed record Softmax(string Name) : Layer(Name)
{
    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 1 || input[0] < 1) throw ShapeError(input, "a flat [classes] input");
        return input;
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new SoftmaxStep());
}
