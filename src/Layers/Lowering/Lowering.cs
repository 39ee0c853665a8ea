using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// The context a layer lowers in and the list it lowers into (see <see cref="Layer.Lower"/>): the layer's own input
/// shape, whether it runs for several towers at once, and <see cref="Emit"/> to append the steps that compute it.
/// Containers lower their children through <see cref="Lower(Layer, int, bool, int?)"/>.
/// </summary>
public sealed class Lowering
{
    private readonly List<LoweredLayer> _layers;
    private readonly List<Step> _steps;
    private readonly Layer _layer;
    private Shape _current;
    private bool _sharedNow;
    private readonly string? _block;

    private Lowering(Layer layer, Shape stackedInput, int towers, bool sharedInput, int? firstTower, int depth,
                     List<LoweredLayer> layers, List<Step> steps, string? block)
    {
        _sharedNow = sharedInput && towers > 1;
        _block = block;
        _layer = layer;
        _current = stackedInput;
        Towers = towers;
        SharedInput = sharedInput;
        FirstTower = firstTower;
        Depth = depth;
        _layers = layers;
        _steps = steps;
        Input = sharedInput || towers == 1 ? stackedInput : stackedInput.With(0, stackedInput[0] / towers);
    }

    /// <summary>The per-example input of the layer being lowered, as one tower sees it.</summary>
    public Shape Input { get; }

    /// <summary>How many towers the layer runs for at once (the <see cref="Step.Groups"/> of its steps); 1 outside
    /// Towers blocks and in a pass that places every tower on its own device.</summary>
    public int Towers { get; }

    /// <summary>True when every tower reads the same input (the first layer of a Towers block): the layer then runs
    /// as one ordinary operation with the towers' parameters stacked, producing the towers' outputs stacked.</summary>
    public bool SharedInput { get; }

    /// <summary>Inside a Towers block, the index of the first tower the layer runs for (layers that draw random numbers
    /// fold it into their keys); null outside blocks.</summary>
    public int? FirstTower { get; }

    private int Depth { get; }

    /// <summary>
    /// Appends a step that reads the current value. Its layer name, shapes and groups are filled in: the input is the
    /// current value, the output <paramref name="towerOutput"/> (one tower's shape; the layer's output when null)
    /// stacked over the towers.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="step"/> is null.</exception>
    public void Emit(Step step, Shape? towerOutput = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        var output = Stack(towerOutput ?? _layer.OutputShape(Input));
        if (_sharedNow && step is not (ConvStep or LinearStep))
            throw new ArgumentException($"Layer '{_block}' (Towers): the body must begin with a Conv or Dense layer, or a layer whose first step is a " +
                                        $"convolution or a fully connected map (it reads the input every tower shares), not {_layer.Kind} '{_layer.Name}'.");
        // A step on the shared input is one ordinary operation with the towers' parameters stacked; every later step
        // reads the towers' outputs stacked and acts per tower.
        _steps.Add(step with { Layer = _layer.Name, Input = _current, Output = output, Groups = _sharedNow ? 1 : Towers });
        _sharedNow = false;
        _current = output;
    }

    /// <summary>Lowers <paramref name="child"/>, a layer of the container being lowered, on the current value.</summary>
    /// <param name="child">The layer.</param>
    /// <param name="towers">Towers it runs for at once.</param>
    /// <param name="sharedInput">Whether every tower reads the same (current) value.</param>
    /// <param name="firstTower">The first tower it runs for, inside a Towers block.</param>
    public void Lower(Layer child, int towers, bool sharedInput, int? firstTower)
    {
        ArgumentNullException.ThrowIfNull(child);
        _current = LowerInto(child, _current, towers, sharedInput, firstTower, Depth + 1, _layers, _steps, _layer is Towers ? _layer.Name : _block);
    }

    /// <summary>The fused lowering of a whole stack (every tower at once).</summary>
    internal static LoweredNetwork Of(IEnumerable<Layer> layers, Shape input)
    {
        var entries = new List<LoweredLayer>();
        var steps = new List<Step>();
        var shape = input;
        foreach (var layer in layers) shape = LowerInto(layer, shape, 1, false, null, 0, entries, steps, null);
        return new LoweredNetwork(entries, steps);
    }

    /// <summary>Tower <paramref name="tower"/> of <paramref name="block"/> alone, as it runs on its own device.</summary>
    internal static IReadOnlyList<Step> OfTower(Towers block, Shape input, int tower)
    {
        var steps = new List<Step>();
        var shape = input;
        for (int i = 0; i < block.Body.Count; i++) shape = LowerInto(block.Body[i], shape, 1, i == 0, tower, 1, [], steps, block.Name);
        return steps;
    }

    private static Shape LowerInto(Layer layer, Shape stackedInput, int towers, bool sharedInput, int? firstTower, int depth,
                                   List<LoweredLayer> layers, List<Step> steps, string? block)
    {
        var to = new Lowering(layer, stackedInput, towers, sharedInput, firstTower, depth, layers, steps, block);
        var towerOutput = layer.OutputShape(to.Input);
        var expected = to.Stack(towerOutput);
        int entry = layers.Count;
        long parameters = layer.ParameterSpecs(to.Input).Sum(s => s.Count) * towers;
        layers.Add(new LoweredLayer(layer, depth, expected, parameters, []));
        int firstStep = steps.Count;
        layer.LowerInto(to);
        if (to._current != expected)
            throw new InvalidOperationException($"Layer '{layer.Name}' ({layer.Kind}) lowered to steps that end in {to._current}, but its OutputShape gives {expected}.");
        layers[entry] = layers[entry] with { Steps = steps.GetRange(firstStep, steps.Count - firstStep) };
        return expected;
    }

    private Shape Stack(Shape towerOutput) =>
        Towers == 1 || towerOutput.Rank == 0 ? towerOutput : towerOutput.With(0, towerOutput[0] * Towers);
}
