using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// One layer of a network, as immutable data: its kind (the record type), its name and its settings. Layers print,
/// compare and serialise for free; their behaviour is two pure functions, shape inference with initialisation
/// (<see cref="OutputShape"/>, <see cref="ParameterSpecs"/>, <see cref="Init"/>) and the forward pass
/// (<see cref="Lower"/>, which <see cref="Apply"/> runs).
/// </summary>
/// <param name="Name">Unique within a network; letters, digits, '_' and '-' (it prefixes parameter paths such as
/// <c>conv1.weight</c>).</param>
/// <remarks>
/// Shapes seen by <see cref="OutputShape"/> are per example ([C, H, W] or [features]); tensors given to
/// <see cref="Apply"/> carry a leading batch axis ([N, C, H, W] or [N, features]). Parameter maps are keyed by full
/// paths (<c>&lt;layer&gt;.weight</c>, <c>&lt;layer&gt;.bias</c>) and may hold other layers' parameters too.
/// </remarks>
public abstract record Layer(string Name)
{
    /// <summary>The kind shown in messages and summaries (<c>Conv</c>, <c>Dense</c>, ...): the record's type name.</summary>
    protected internal virtual string Kind => GetType().Name;

    /// <summary>The kind as a summary row shows it.</summary>
    internal virtual string SummaryKind => Kind;

    /// <summary>The per-example output shape for a per-example input shape.</summary>
    /// <exception cref="ArgumentException">The settings are invalid, or the input does not fit; the message names the
    /// layer, the input shape and the shape it expects.</exception>
    public abstract Shape OutputShape(Shape input);

    /// <summary>The parameters this layer needs for a per-example input shape (none for parameter-free layers).</summary>
    /// <exception cref="ArgumentException">As <see cref="OutputShape"/>.</exception>
    public virtual IReadOnlyList<ParameterSpec> ParameterSpecs(Shape input)
    {
        OutputShape(input);
        return [];
    }

    /// <summary>
    /// Draws this layer's initial parameters for a per-example input shape: a pure function of
    /// <paramref name="key"/> and the parameter names.
    /// </summary>
    /// <param name="input">Per-example input shape.</param>
    /// <param name="key">The network's initialisation key.</param>
    /// <param name="backend">Where the tensors live; the default CPU backend when null.</param>
    /// <exception cref="ArgumentException">As <see cref="OutputShape"/>.</exception>
    public TensorMap Init(Shape input, RandomKey key, IBackend? backend = null)
    {
        var map = TensorMap.Empty;
        foreach (var spec in ParameterSpecs(input)) map = map.Add(spec.Name, spec.Create(key, backend));
        return map;
    }

    /// <summary>
    /// Appends the steps that compute this layer to <paramref name="to"/>: the one description of its forward pass, read by
    /// <see cref="Apply"/>, <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/>, the summary and the exporters.
    /// A layer emits steps with <see cref="Lowering.Emit"/> (a container lowers its children with
    /// <see cref="Lowering.Lower(Layer, int, bool, int?)"/>); inside a Towers block the lowering runs every tower at once
    /// and fills in each step's groups.
    /// </summary>
    protected abstract void Lower(Lowering to);

    /// <summary>Lets the lowering call <see cref="Lower"/>.</summary>
    internal void LowerInto(Lowering to) => Lower(to);

    /// <summary>The forward pass on a batch. Pure: the same inputs, mode and key give the same output.</summary>
    /// <param name="parameters">A map holding at least this layer's parameters under their full paths.</param>
    /// <param name="x">A batch: [N, ...input shape].</param>
    /// <param name="mode">Train or eval (dropout only acts in train mode).</param>
    /// <param name="key">The forward pass's root key; a layer that draws random numbers folds in its own name.</param>
    /// <exception cref="ArgumentException">The batch does not fit the layer.</exception>
    /// <exception cref="KeyNotFoundException">A parameter is missing from the map.</exception>
    public Tensor Apply(TensorMap parameters, Tensor x, Mode mode, RandomKey key)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2) throw new ArgumentException($"Layer '{Name}' ({Kind}) takes a batch [N, ...]; got {x.Shape}.", nameof(x));
        var lowered = Lowering.Of([this], new Shape(x.Shape.Dims.AsSpan()[1..]));
        return StepChain.Run(lowered.Steps, parameters, x, mode, key);
    }

    /// <summary>The output of a pooling window sliding over [C, H, W] (the rule of <c>PoolGeometry</c>: pad at most half
    /// the window), or the error naming this layer.</summary>
    private protected Shape PooledShape(Shape input, int kernel, int stride, int pad)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (kernel < 1) throw SettingError($"Kernel must be ≥ 1, got {kernel}");
        if (stride < 1) throw SettingError($"Stride must be ≥ 1, got {stride}");
        if (pad < 0 || 2 * pad > kernel) throw SettingError($"Pad must be in [0, Kernel/2], got {pad}");
        if (input.Rank != 3) throw ShapeError(input, "[channels, height, width]");
        int min = Math.Max(1, kernel - 2 * pad);
        if (input[0] < 1 || input[1] < min || input[2] < min)
            throw ShapeError(input, $"[≥ 1, ≥ {min}, ≥ {min}] for a {kernel}×{kernel} window with pad {pad}");
        return new Shape(input[0], (input[1] + 2 * pad - kernel) / stride + 1, (input[2] + 2 * pad - kernel) / stride + 1);
    }

    /// <summary>An error naming this layer, the input it got and the input it expects.</summary>
    protected ArgumentException ShapeError(Shape input, string expected) =>
        new($"Layer '{Name}' ({Kind}) cannot take input {input}: it expects {expected}.");

    /// <summary>An error naming this layer and a problem with its settings.</summary>
    protected ArgumentException SettingError(string problem) => new($"Layer '{Name}' ({Kind}): {problem}.");

    /// <summary>Throws when a float setting is NaN or infinite, or (with <paramref name="nonNegative"/>) negative.</summary>
    protected void CheckFinite(float value, string setting, bool nonNegative)
    {
        if (!float.IsFinite(value) || (nonNegative && value < 0f))
            throw SettingError($"{setting} must be finite{(nonNegative ? " and ≥ 0" : "")}, got {value}");
    }
}
