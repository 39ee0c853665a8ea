using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>A fully connected map y = x·Wᵀ + b (<see cref="Ops.Linear"/>); weight [out, in], bias [out]. With
/// <see cref="Step.Groups"/> &gt; 1 every tower maps its own share of the features with its own rows.</summary>
/// <param name="Weight">Path of the weight.</param>
/// <param name="Bias">Path of the bias.</param>
public sealed record LinearStep(string Weight, string Bias) : Step
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> ParameterNames => [Weight, Bias];

    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) =>
        PerGroup(parameters, x, (p, share, _) => Ops.Linear(share, p[Weight], p[Bias]));
}
