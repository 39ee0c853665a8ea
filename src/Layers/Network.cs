using System.Text.RegularExpressions;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// A validated stack of layers with its per-example input shape: shapes are inferred (and every mismatch reported)
/// when it is created, so a network that exists can be initialised and run. Immutable, compared by value.
/// </summary>
/// <remarks>
/// The network is data; its parameters are a separate <see cref="TensorMap"/> (paths <c>&lt;layer&gt;.weight</c> and
/// <c>&lt;layer&gt;.bias</c>, PyTorch layouts), made by <see cref="Init(RandomKey, IBackend?)"/> and passed to
/// <see cref="Apply(TensorMap, Tensor, Mode, RandomKey)"/>, which is a pure function.
/// </remarks>
public sealed partial class Network : IEquatable<Network>
{
    private readonly LayerList _layers;
    private readonly IReadOnlyList<Layer> _units;
    private readonly IReadOnlyList<ParameterSlot> _slots;
    private readonly LoweredNetwork _lowered;
    private readonly IReadOnlyList<Step> _runSteps;
    private readonly IReadOnlyList<IReadOnlyList<Step>[]> _placedSteps;

    /// <summary>A parameter and the Towers block whose towers share it out (null outside any block).</summary>
    internal readonly record struct ParameterSlot(ParameterSpec Spec, Towers? Block);

    private Network(Shape inputShape, LayerList layers)
    {
        InputShape = inputShape;
        _layers = layers;
        _units = [.. layers.Flatten()];
        var slots = new List<ParameterSlot>();
        var unitInputs = new List<Shape>();
        var shape = inputShape;
        foreach (var unit in _units)
        {
            unitInputs.Add(shape);
            foreach (var spec in unit.ParameterSpecs(shape)) slots.Add(new ParameterSlot(spec, unit as Towers));
            shape = unit.OutputShape(shape);
        }
        OutputShape = shape;
        // The placed pass's steps, lowered once: per tower for a block, the unit's own for the others.
        _placedSteps = [.. _units.Select((unit, u) => unit is Towers block
            ? Enumerable.Range(0, block.Count).Select(t => Lowering.OfTower(block, unitInputs[u], t)).ToArray()
            : [Lowering.Of([unit], unitInputs[u]).Steps])];
        _lowered = Lowering.Of(layers, inputShape);
        var steps = _lowered.Steps;
        // The final softmax is the loss's business (it fuses it) and the caller's at inference: Apply returns logits.
        _runSteps = _units[^1] is Softmax ? [.. steps.Take(steps.Count - 1)] : steps;
        _slots = slots;
        ParameterSpecs = [.. slots.Select(s => s.Spec)];
        ParameterCount = ParameterSpecs.Sum(s => s.Count);
    }

    /// <summary>The per-example input shape, e.g. [3, 227, 227].</summary>
    public Shape InputShape { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The per-example output shape, e.g. [1000].</summary>
    public Shape OutputShape { get; }

    /// <summary>Every parameter the network needs, in order (towers stacked along the first axis).</summary>
    public IReadOnlyList<ParameterSpec> ParameterSpecs { get; }

    /// <summary>Total number of scalar parameters.</summary>
    public long ParameterCount { get; }

    /// <summary>The Towers blocks at the top level of the stack (inside <see cref="Sequential"/> groups too).</summary>
    public IEnumerable<Towers> TowerBlocks => _units.OfType<Towers>();

    internal IReadOnlyList<ParameterSlot> Slots => _slots;

    /// <summary>
    /// Validates a stack of layers for a per-example input shape and infers every shape.
    /// </summary>
    /// <param name="inputShape">[channels, height, width] for images or [features] for vectors; every size ≥ 1.</param>
    /// <param name="layers">The layers, at least one.</param>
    /// <exception cref="ArgumentException">The input shape is invalid; a layer name is invalid or used twice; a layer's
    /// settings are invalid; or a layer cannot take the shape the previous one produces (the message names the layer,
    /// the shape it receives and the shape it expects).</exception>
    public static Network Create(Shape inputShape, IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(layers);
        if (inputShape.Rank is not (1 or 3) || inputShape.Dims.Any(d => d < 1))
            throw new ArgumentException($"The network input must be [channels, height, width] or [features] with every size ≥ 1; got {inputShape}.", nameof(inputShape));
        var list = layers as LayerList ?? new LayerList(layers);
        if (list.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        CheckNames(list);
        return new Network(inputShape, list);
    }

    /// <summary>
    /// Draws the initial parameters: tensor <c>p</c> is N(mean, std²) from its <see cref="ParameterSpec"/>, keyed by
    /// <paramref name="key"/> folded with its path, so the result does not depend on the backend.
    /// </summary>
    /// <param name="key">Initialisation key.</param>
    /// <param name="backend">Where the tensors live; the default CPU backend when null.</param>
    public TensorMap Init(RandomKey key, IBackend? backend = null)
    {
        var map = TensorMap.Empty;
        foreach (var spec in ParameterSpecs) map = map.Add(spec.Name, spec.Create(key, backend));
        return map;
    }

    /// <summary>Draws the same parameters as <see cref="Init(RandomKey, IBackend?)"/> and shares them out over the
    /// devices of <paramref name="placement"/> (see <see cref="TowerPlacement.Shard"/>).</summary>
    /// <exception cref="ArgumentException">The placement's tower count differs from a block's.</exception>
    public TensorMap Init(RandomKey key, TowerPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var full = Init(key, placement.Primary);
        try
        {
            return placement.Shard(this, full);
        }
        finally
        {
            full.DisposeAll();
        }
    }

    /// <summary>
    /// The network as a flat list of primitive steps with the towers fused (grouped convolutions, per-tower LRN and
    /// dropout), and the layers they come from: what <see cref="Apply(TensorMap, Tensor, Mode, RandomKey)"/> runs, what
    /// <see cref="Summary"/> reports and what exporters translate.
    /// </summary>
    public LoweredNetwork Lower() => _lowered;

    /// <summary>The table of layers, output shapes and parameter counts.</summary>
    public Summary Summary() => AlexNet.Layers.Summary.Of(this);

    /// <summary>True when both have the same input shape and equal layers in the same order.</summary>
    public bool Equals(Network? other) => other is not null && InputShape.Equals(other.InputShape) && _layers.Equals(other._layers);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Network);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(InputShape, _layers);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Network? a, Network? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Network? a, Network? b) => !(a == b);

    /// <summary>The input shape, the output shape and the layer count, e.g. <c>Network [3, 227, 227] → [1000] (11 layers)</c>.</summary>
    public override string ToString() => $"Network {InputShape} → {OutputShape} ({_layers.Count} layers, {ParameterCount:N0} parameters)";

    private static void CheckNames(LayerList layers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in Walk(layers))
        {
            if (layer.Name is null || !NamePattern().IsMatch(layer.Name))
                throw new ArgumentException($"Layer name '{layer.Name}' ({layer.GetType().Name}) is invalid: use letters, digits, '_' and '-' only (it prefixes parameter paths such as '<name>.weight').", nameof(layers));
            if (!seen.Add(layer.Name))
                throw new ArgumentException($"Layer name '{layer.Name}' is used twice; names must be unique (they name the parameters).", nameof(layers));
        }
    }

    /// <summary>Every layer, groups and blocks before their contents.</summary>
    internal static IEnumerable<Layer> Walk(IEnumerable<Layer> layers)
    {
        foreach (var layer in layers)
        {
            yield return layer;
            var inner = layer switch
            {
                Sequential s => s.Layers,
                Towers t => t.Body,
                _ => null,
            };
            if (inner is null) continue;
            foreach (var l in Walk(inner)) yield return l;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
