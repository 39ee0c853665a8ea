using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// One parameter tensor a layer needs: its path (<c>conv1.weight</c>), its shape in the PyTorch layout and its
/// initial distribution N(<paramref name="Mean"/>, <paramref name="Std"/>²) (a constant when the deviation is 0).
/// </summary>
/// <param name="Name">Path in the parameter map: <c>&lt;layer&gt;.weight</c> or <c>&lt;layer&gt;.bias</c>.</param>
/// <param name="Shape">Shape: conv weights [out, in/groups, kh, kw], dense weights [out, in], biases [out].</param>
/// <param name="Mean">Mean of the initial values (the constant for a bias).</param>
/// <param name="Std">Standard deviation of the initial values; 0 for a constant.</param>
public sealed record ParameterSpec(string Name, Shape Shape, float Mean, float Std)
{
    /// <summary>Number of scalars in the tensor.</summary>
    public long Count => Shape.Count;

    /// <summary>
    /// Draws the initial tensor. The values are a pure function of <paramref name="root"/> and <see cref="Name"/>
    /// (the key is the root folded with a hash of the name), identical on every backend.
    /// </summary>
    /// <param name="root">The network's initialisation key.</param>
    /// <param name="backend">Where the tensor lives; the default CPU backend when null.</param>
    public Tensor Create(RandomKey root, IBackend? backend = null) => Std == 0f
        ? Tensor.Full(Shape, Mean, backend)
        : Tensor.Normal(LayerKeys.For(root, Name), Shape, Mean, Std, backend);

    /// <summary>This spec with the first (output) dimension multiplied by <paramref name="factor"/>: the stacked
    /// parameter of a layer replicated over <paramref name="factor"/> towers.</summary>
    internal ParameterSpec Stacked(int factor) => factor == 1 ? this : this with { Shape = Shape.With(0, Shape[0] * factor) };
}
