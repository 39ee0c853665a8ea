namespace AlexNet.Layers;

/// <summary>How a <see cref="Conv"/> or <see cref="Dense"/> layer draws its initial weights (biases are always the
/// layer's constant <c>BiasInit</c>). Every scheme draws from a zero-mean normal distribution; they differ in its
/// standard deviation, computed from the layer's fan-in (inputs per output: in-channels·k·k per group, or in-features)
/// and fan-out (outputs per input: out-channels·k·k, or out-features).</summary>
public enum Initializer
{
    /// <summary>N(0, WeightStd²) with the layer's own <c>WeightStd</c>: the paper's 0.01 for every layer.</summary>
    Gaussian,

    /// <summary>He (Kaiming) normal for ReLU networks: std = √(2 / fan-in). The fluent API's default for layers that do
    /// not give a WeightStd.</summary>
    He,

    /// <summary>Glorot (Xavier) normal: std = √(2 / (fan-in + fan-out)).</summary>
    Glorot,
}

/// <summary>The standard deviation each <see cref="Initializer"/> gives.</summary>
internal static class InitializerStd
{
    /// <summary>The weights' standard deviation for <paramref name="scheme"/>.</summary>
    public static float Of(Initializer scheme, float weightStd, long fanIn, long fanOut) => scheme switch
    {
        Initializer.Gaussian => weightStd,
        Initializer.He => (float)Math.Sqrt(2.0 / fanIn),
        Initializer.Glorot => (float)Math.Sqrt(2.0 / (fanIn + fanOut)),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initializer."),
    };
}
