using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>A 2-D convolution with square kernels (<see cref="Ops.Conv2d"/>), grouped when <see cref="Step.Groups"/> &gt; 1;
/// weight [out, in/groups, k, k], bias [out].</summary>
/// <param name="Weight">Path of the weight.</param>
/// <param name="Bias">Path of the bias.</param>
/// <param name="Kernel">Kernel height and width.</param>
/// <param name="Stride">Step between kernel positions.</param>
/// <param name="Pad">Zero padding on every side.</param>
public sealed record ConvStep(string Weight, string Bias, int Kernel, int Stride, int Pad) : Step
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> ParameterNames => [Weight, Bias];

    internal override Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key) =>
        Ops.Conv2d(x, parameters[Weight], parameters[Bias], Stride, Pad, groups: Groups);
}
