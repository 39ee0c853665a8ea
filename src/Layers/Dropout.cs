using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// Inverted dropout: in <see cref="Mode.Train"/> each unit is zeroed with probability P and the survivors scaled by
/// 1/(1 − P); in <see cref="Mode.Eval"/> the identity. Any input shape.
/// </summary>
/// <param name="Name">Layer name; the mask's key is the pass's key folded with this name (and, inside a
/// <see cref="Towers"/> block, with the tower index), so masks are reproducible and independent across layers.</param>
/// <param name="P">Drop probability in [0, 1); the paper uses 0.5.</param>
/// <remarks>The paper multiplies outputs by 0.5 at test time instead; inverted dropout gives the same expected
/// activations with no change at test time.</remarks>
public sealed record Dropout(string Name, float P = 0.5f) : Layer(Name)
{
    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(P >= 0f && P < 1f)) throw SettingError($"P must be in [0, 1), got {P}");
        return input;
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new DropoutStep(P, to.FirstTower));
}
