namespace AlexNet.Facade;

/// <summary>What a trained model says about one image: its most probable classes, best first, and the probability of
/// every class.</summary>
/// <param name="Top">The most probable classes in decreasing probability (equal probabilities by class index).</param>
/// <param name="Probabilities">The probability of every class, indexed by class; they sum to 1 up to rounding.</param>
public sealed record Prediction(IReadOnlyList<ClassProbability> Top, IReadOnlyList<float> Probabilities)
{
    /// <summary>The most probable class's name.</summary>
    public string ClassName => Top[0].ClassName;

    /// <summary>The most probable class's probability.</summary>
    public float Probability => Top[0].Probability;
}
