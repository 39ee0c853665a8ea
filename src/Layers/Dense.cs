using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>A fully connected layer: [features] → [Out], y = x·Wᵀ + b.</summary>
/// <param name="Name">Layer name; the parameters are <c>&lt;Name&gt;.weight</c> [Out, features] (the PyTorch layout)
/// and <c>&lt;Name&gt;.bias</c> [Out].</param>
/// <param name="Out">Number of outputs; per tower inside a <see cref="Towers"/> block.</param>
/// <param name="WeightStd">Initial weights are N(0, WeightStd²) with <see cref="Initializer.Gaussian"/>; the paper uses 0.01.</param>
/// <param name="BiasInit">Initial value of every bias; the paper uses 1 in fc6 and fc7 and 0 in fc8.</param>
/// <param name="Initializer">How the weights are drawn: the paper's <see cref="Initializer.Gaussian"/> (the default here),
/// <see cref="Initializer.He"/> or <see cref="Initializer.Glorot"/> (fan-in = features, fan-out = Out).</param>
public sealed record Dense(string Name, int Out, float WeightStd = 0.01f, float BiasInit = 0f, Initializer Initializer = Initializer.Gaussian) : Layer(Name)
{
    /// <summary>Path of the weight tensor.</summary>
    public string WeightName => Name + ".weight";

    /// <summary>Path of the bias tensor.</summary>
    public string BiasName => Name + ".bias";

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Out < 1) throw SettingError($"Out must be ≥ 1, got {Out}");
        CheckFinite(WeightStd, nameof(WeightStd), nonNegative: true);
        CheckFinite(BiasInit, nameof(BiasInit), nonNegative: false);
        if (input.Rank != 1) throw ShapeError(input, "a flat [features] input (put a Flatten layer before it)");
        if (input[0] < 1) throw ShapeError(input, "[≥ 1] features");
        return new Shape(Out);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> ParameterSpecs(Shape input)
    {
        OutputShape(input);
        float std = InitializerStd.Of(Initializer, WeightStd, input[0], Out);
        return [new(WeightName, new Shape(Out, input[0]), 0f, std), new(BiasName, new Shape(Out), BiasInit, 0f)];
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new LinearStep(WeightName, BiasName));
}
