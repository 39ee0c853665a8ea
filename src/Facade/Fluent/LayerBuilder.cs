using System.Collections.Immutable;
using AlexNet.Layers;
using L = AlexNet.Layers;

namespace AlexNet.Facade;

/// <summary>
/// The fluent methods shared by <see cref="NetBuilder"/> and <see cref="TowerBuilder"/>. A builder is immutable: each
/// method returns a new builder with one more layer record, so a partial builder can be reused.
/// </summary>
/// <typeparam name="TSelf">The concrete builder type each method returns.</typeparam>
/// <remarks>Layers without a given name get the first free name made of their kind and a number counted over the whole
/// network (<c>relu1</c>, <c>relu2</c>, <c>lrn1</c>, <c>pool1</c>, <c>drop1</c>, <c>flatten1</c>, <c>softmax1</c>,
/// <c>towers1</c>).</remarks>
public abstract class LayerBuilder<TSelf> where TSelf : LayerBuilder<TSelf>
{
    private readonly ImmutableList<Layer> _layers;
    private readonly ImmutableHashSet<string> _outerNames;

    private protected LayerBuilder(ImmutableList<Layer> layers, ImmutableHashSet<string> outerNames)
    {
        _layers = layers;
        _outerNames = outerNames;
    }

    /// <summary>The layers added so far, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Adds a <see cref="L.Conv"/>: <paramref name="out"/> kernels of <paramref name="kernel"/>×<paramref name="kernel"/>.</summary>
    /// <param name="name">Layer name (prefix of its parameters).</param>
    /// <param name="out">Output channels (per tower inside <see cref="Towers"/>).</param>
    /// <param name="kernel">Kernel size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="pad">Zero padding on every side.</param>
    /// <param name="weightStd">Initial weights N(0, weightStd²) (the paper's 0.01); when null, <paramref name="initializer"/> decides.</param>
    /// <param name="biasInit">Initial bias value.</param>
    /// <param name="initializer">The weights' scheme; when null, He (Kaiming) normal unless <paramref name="weightStd"/> is
    /// given. See <see cref="L.Initializer"/>.</param>
    public TSelf Conv(string name, int @out, int kernel, int stride = 1, int pad = 0, float? weightStd = null, float biasInit = 0f,
                      L.Initializer? initializer = null) =>
        Add(new L.Conv(name, @out, kernel, stride, pad, weightStd ?? PaperStd, biasInit, Scheme(weightStd, initializer)));

    /// <summary>Adds a <see cref="L.Dense"/> (fully connected) layer of <paramref name="out"/> units.</summary>
    /// <param name="name">Layer name (prefix of its parameters).</param>
    /// <param name="out">Outputs (per tower inside <see cref="Towers"/>).</param>
    /// <param name="weightStd">Initial weights N(0, weightStd²) (the paper's 0.01); when null, <paramref name="initializer"/> decides.</param>
    /// <param name="biasInit">Initial bias value.</param>
    /// <param name="initializer">The weights' scheme; when null, He (Kaiming) normal unless <paramref name="weightStd"/> is
    /// given. See <see cref="L.Initializer"/>.</param>
    public TSelf Dense(string name, int @out, float? weightStd = null, float biasInit = 0f, L.Initializer? initializer = null) =>
        Add(new L.Dense(name, @out, weightStd ?? PaperStd, biasInit, Scheme(weightStd, initializer)));

    /// <summary>The paper's weight deviation, used by <see cref="L.Initializer.Gaussian"/> when none is given.</summary>
    private const float PaperStd = 0.01f;

    /// <summary>He for layers that say nothing (networks that are not the paper's train far better with it: a LeNet on
    /// Fashion-MNIST sits at loss 2.30 for hundreds of steps with N(0, 0.01²)); the paper's Gaussian when a deviation is
    /// given.</summary>
    private static L.Initializer Scheme(float? weightStd, L.Initializer? initializer) =>
        initializer ?? (weightStd is null ? L.Initializer.He : L.Initializer.Gaussian);

    /// <summary>Adds a <see cref="L.Relu"/>.</summary>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf Relu(string? name = null) => Add(new L.Relu(name ?? AutoName("relu")));

    /// <summary>Adds an <see cref="L.Lrn"/> in the paper's convention (α not divided by n).</summary>
    /// <param name="size">Window n (odd).</param>
    /// <param name="alpha">α.</param>
    /// <param name="beta">β.</param>
    /// <param name="k">k.</param>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf Lrn(int size = 5, float alpha = 1e-4f, float beta = 0.75f, float k = 2f, string? name = null) =>
        Add(new L.Lrn(name ?? AutoName("lrn"), size, alpha, beta, k));

    /// <summary>Adds a <see cref="L.MaxPool"/>; the defaults are the paper's overlapping pooling.</summary>
    /// <param name="kernel">Window size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="pad">Padding (at most kernel/2).</param>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf MaxPool(int kernel = 3, int stride = 2, int pad = 0, string? name = null) =>
        Add(new L.MaxPool(name ?? AutoName("pool"), kernel, stride, pad));

    /// <summary>Adds an <see cref="L.AvgPool"/> (padding counts as zeros in the average, as PyTorch's default).</summary>
    /// <param name="kernel">Window size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="pad">Zero padding (at most kernel/2).</param>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf AvgPool(int kernel = 2, int stride = 2, int pad = 0, string? name = null) =>
        Add(new L.AvgPool(name ?? AutoName("avgpool"), kernel, stride, pad));

    /// <summary>Adds an <see cref="L.AdaptiveAvgPool"/>: average pooling to a fixed output size whatever the input size
    /// (torchvision's AlexNet pools to 6×6 before its classifier).</summary>
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf AdaptiveAvgPool(int height, int width, string? name = null) =>
        Add(new L.AdaptiveAvgPool(name ?? AutoName("avgpool"), height, width));

    /// <summary>Adds a <see cref="L.Dropout"/>.</summary>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf Dropout(float p = 0.5f, string? name = null) => Add(new L.Dropout(name ?? AutoName("drop"), p));

    /// <summary>Adds a <see cref="L.Flatten"/>.</summary>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf Flatten(string? name = null) => Add(new L.Flatten(name ?? AutoName("flatten")));

    /// <summary>Adds a <see cref="L.Softmax"/> (skipped by <see cref="Network.Apply(AlexNet.Autograd.TensorMap, AlexNet.Autograd.Tensor, Mode, AlexNet.Autograd.RandomKey)"/>
    /// when last: it returns logits).</summary>
    /// <param name="name">Layer name; automatic when null.</param>
    public TSelf Softmax(string? name = null) => Add(new L.Softmax(name ?? AutoName("softmax")));

    /// <summary>Adds a <see cref="L.Towers"/> block of <paramref name="count"/> towers, each running the layers
    /// <paramref name="body"/> adds (widths per tower; the first must be a Conv or a Dense).</summary>
    /// <param name="count">Number of towers.</param>
    /// <param name="body">Builds the per-tower layers, e.g. <c>t => t.Conv("conv1", 48, 11, stride: 4).Relu()</c>.</param>
    /// <param name="name">Block name; automatic when null.</param>
    public TSelf Towers(int count, Func<TowerBuilder, TowerBuilder> body, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var blockName = name ?? AutoName("towers");
        var built = body(new TowerBuilder([], TakenNames().Add(blockName)));
        return Add(new L.Towers(blockName, count, new LayerList(built.Layers)));
    }

    /// <summary>Adds any layer record.</summary>
    public TSelf Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return With(_layers.Add(layer), _outerNames);
    }

    /// <summary>A builder of the same type holding <paramref name="layers"/>, inside a network whose other layers use
    /// <paramref name="outerNames"/>.</summary>
    private protected abstract TSelf With(ImmutableList<Layer> layers, ImmutableHashSet<string> outerNames);

    private string AutoName(string prefix)
    {
        var taken = TakenNames();
        int n = 1;
        while (taken.Contains(prefix + n)) n++;
        return prefix + n;
    }

    /// <summary>Names used so far: the enclosing network's and every layer of this builder, nested ones included.</summary>
    private ImmutableHashSet<string> TakenNames()
    {
        var names = _outerNames.ToBuilder();
        var pending = new Stack<Layer>(_layers);
        while (pending.Count > 0)
        {
            var layer = pending.Pop();
            names.Add(layer.Name);
            var inner = layer switch { L.Towers t => t.Body, Sequential s => s.Layers, _ => null };
            if (inner is not null) foreach (var l in inner) pending.Push(l);
        }
        return names.ToImmutable();
    }
}
