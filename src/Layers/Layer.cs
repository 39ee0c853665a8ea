using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// One layer of a network, as immutable data: its kind (the record type), its name and its settings. Layers print,
/// compare and serialise for free; their behaviour is two pure functions, shape inference with initialisation
/// (<see cref="OutputShape"/>, <see cref="ParameterSpecs"/>, <see cref="Init"/>) and the forward pass
/// (<see cref="Apply"/>).
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
    /// <summary>The kind shown in messages and summaries (<c>Conv</c>, <c>Dense</c>, ...).</summary>
    internal abstract string Kind { get; }

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

    /// <summary>The forward pass on a batch. Pure: the same inputs, mode and key give the same output.</summary>
    /// <param name="parameters">A map holding at least this layer's parameters under their full paths.</param>
    /// <param name="x">A batch: [N, ...input shape].</param>
    /// <param name="mode">Train or eval (dropout only acts in train mode).</param>
    /// <param name="key">The forward pass's root key; a layer that draws random numbers folds in its own name.</param>
    /// <exception cref="ArgumentException">The batch does not fit the layer.</exception>
    /// <exception cref="KeyNotFoundException">A parameter is missing from the map.</exception>
    public abstract Tensor Apply(TensorMap parameters, Tensor x, Mode mode, RandomKey key);

    /// <summary>Full paths of this layer's parameters (including those of nested layers).</summary>
    internal virtual IEnumerable<string> ParameterNames => [];

    /// <summary>
    /// The forward pass of tower <paramref name="tower"/> of a <see cref="Towers"/> block: <paramref name="x"/> and
    /// <paramref name="parameters"/> are that tower's own. Layers that draw random numbers use a per-tower key.
    /// </summary>
    internal virtual Tensor ApplyInTower(TensorMap parameters, Tensor x, Mode mode, RandomKey key, int tower) =>
        Apply(parameters, x, mode, key);

    /// <summary>
    /// The forward pass of every tower at once on one device. <paramref name="x"/> holds the towers' channels (or
    /// features) stacked tower by tower along axis 1, or, when <paramref name="replicated"/>, the one input all towers
    /// share; parameters are stacked tower by tower along their first axis. The result stacks the towers' outputs the
    /// same way and equals running <see cref="ApplyInTower"/> per tower and concatenating.
    /// </summary>
    /// <remarks>This default slices every tower out, runs it, and concatenates; layers with a fused form (a grouped
    /// convolution, an elementwise map) override it.</remarks>
    internal virtual Tensor ApplyStacked(TensorMap parameters, Tensor x, int towers, bool replicated, Mode mode, RandomKey key)
    {
        if (towers == 1) return ApplyInTower(parameters, x, mode, key, 0);
        int width = x.Shape[1] / towers;
        var parts = new Tensor[towers];
        try
        {
            for (int t = 0; t < towers; t++)
            {
                var own = TowerSlices.Of(parameters, ParameterNames, t, towers);
                using var xt = Ops.Slice(x, 1, t * width, width);
                parts[t] = ApplyInTower(own.Map, xt, mode, key, t);
                own.Dispose();
            }
            return Ops.Concat(parts, 1);
        }
        finally
        {
            foreach (var part in parts) part?.Dispose();
        }
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
