using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// The paper's two-GPU wiring as data: <paramref name="Body"/> runs once per tower, every tower starting from the
/// whole input of the block and then seeing only its own maps; the layers after the block see every tower's output,
/// stacked tower by tower along the channel (or feature) axis.
/// </summary>
/// <param name="Name">Name of the block (its layers keep their own names and parameter paths).</param>
/// <param name="Count">Number of towers (the paper: 2).</param>
/// <param name="Body">The per-tower layers, widths per tower. The first must be a <see cref="Conv"/> or a
/// <see cref="Dense"/> (it reads the shared input); no <see cref="Towers"/> inside.</param>
/// <remarks>
/// <para>Parameters are stored once per layer with the towers stacked along the first axis: a convolution's weight is
/// [Count·Out, C/groups, kh, kw], the PyTorch layout of a grouped convolution, and a dense layer's is [Count·Out, in].</para>
/// <para>On one device the block runs fused: a convolution after the first is a grouped convolution (groups = Count);
/// LRN and dropout run per tower so that LRN windows never cross towers and every tower draws its own dropout mask.
/// With a <see cref="TowerPlacement"/> each tower runs on its own device with its own slice of the parameters, and
/// data moves between devices (<see cref="Ops.To"/> then <see cref="Ops.Concat"/>) only where a layer reads more than
/// one tower: at the start of the next block and at the first layer after the last block. Both give the same result.</para>
/// </remarks>
public sealed record Towers(string Name, int Count, LayerList Body) : Layer(Name)
{
    /// <summary>A block of <paramref name="count"/> towers running <paramref name="body"/>.</summary>
    public Towers(string name, int count, params Layer[] body) : this(name, count, new LayerList(body))
    {
    }

    internal override string SummaryKind => $"Towers×{Count}";

    /// <summary>The per-example output of one tower for the block's per-example input.</summary>
    /// <exception cref="ArgumentException">As <see cref="OutputShape"/>.</exception>
    public Shape TowerOutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckStructure();
        var shape = input;
        foreach (var layer in Body) shape = layer.OutputShape(shape);
        return shape;
    }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        var shape = TowerOutputShape(input);
        if (shape.Rank == 0) throw SettingError($"the towers' output {shape} has no axis to stack them along");
        return shape.With(0, shape[0] * Count);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> ParameterSpecs(Shape input)
    {
        OutputShape(input);
        var specs = new List<ParameterSpec>();
        var shape = input;
        foreach (var layer in Body)
        {
            specs.AddRange(layer.ParameterSpecs(shape).Select(s => s.Stacked(Count)));
            shape = layer.OutputShape(shape);
        }
        return specs;
    }

    /// <summary>Every tower at once (the fused form; see the remarks on <see cref="Towers"/>): the first layer reads the
    /// shared input with the towers' parameters stacked, the others run grouped.</summary>
    protected override void Lower(Lowering to)
    {
        if (to.FirstTower is not null || to.Towers > 1)
            throw new InvalidOperationException($"Towers block '{Name}' cannot run inside another Towers block.");
        for (int i = 0; i < Body.Count; i++) to.Lower(Body[i], Count, sharedInput: i == 0, firstTower: 0);
    }

    /// <summary>The block's name, tower count and body.</summary>
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Count = ").Append(Count).Append(", Body = ").Append(Body);
        return true;
    }

    private void CheckStructure()
    {
        if (Count < 1) throw SettingError($"Count must be ≥ 1, got {Count}");
        if (Body is null || Body.Count == 0) throw SettingError("the body needs at least one layer");
        var leaves = Body.Flatten().ToList();
        if (leaves.Count == 0) throw SettingError("the body needs at least one layer");
        var nested = leaves.FirstOrDefault(l => l is Towers);
        if (nested is not null) throw SettingError($"Towers '{nested.Name}' cannot be nested inside it");
    }
}
