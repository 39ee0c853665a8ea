namespace AlexNet.Layers;

/// <summary>Whether a forward pass trains (dropout active) or evaluates (dropout off). Always an explicit argument.</summary>
public enum Mode
{
    /// <summary>Training: dropout drops units, drawn from the pass's <see cref="AlexNet.Autograd.RandomKey"/>.</summary>
    Train,

    /// <summary>Evaluation: dropout is the identity (inverted dropout needs no rescaling).</summary>
    Eval,
}
