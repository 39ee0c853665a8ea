using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// One primitive operation of a lowered network (<see cref="Network.Lower"/>): what <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/>
/// runs, what <see cref="Summary"/> reports and what exporters translate. Layers of every kind, towers included, lower
/// to this closed set, so a new layer kind built from existing steps needs nothing beyond its own record.
/// </summary>
/// <remarks>
/// <para><see cref="Groups"/> is the number of towers a step runs for at once: the value holds the towers' channels (or
/// features) stacked tower by tower along axis 1, the step's parameters hold the towers' tensors stacked along their
/// first axis, and the step acts on each tower's share independently (a grouped convolution, LRN windows that never
/// cross towers, one dropout mask per tower).</para>
/// <para>Shapes are per example and stacked (all towers).</para>
/// </remarks>
public abstract record Step
{
    /// <summary>Name of the layer this step comes from (errors and exporters name it).</summary>
    public string Layer { get; init; } = "";

    /// <summary>Per-example shape of the value the step reads.</summary>
    public Shape Input { get; init; } = Shape.Scalar;

    /// <summary>Per-example shape of the value the step produces.</summary>
    public Shape Output { get; init; } = Shape.Scalar;

    /// <summary>Number of towers the step acts on independently (1 outside Towers blocks).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Paths of the parameters the step reads, in the order its primitive takes them.</summary>
    public virtual IReadOnlyList<string> ParameterNames => [];

    /// <summary>The step's forward pass on a batch [N, ...<see cref="Input"/>].</summary>
    internal abstract Tensor Run(TensorMap parameters, Tensor x, Mode mode, RandomKey key);

    /// <summary>
    /// Runs <paramref name="perGroup"/> on every tower's share of <paramref name="x"/> (axis 1) with that tower's slices
    /// of the parameters (first axis) and joins the results along axis 1: the form of a step whose primitive has no
    /// grouped variant.
    /// </summary>
    private protected Tensor PerGroup(TensorMap parameters, Tensor x, Func<TensorMap, Tensor, int, Tensor> perGroup)
    {
        if (Groups == 1) return perGroup(parameters, x, 0);
        int width = x.Shape[1] / Groups;
        var parts = new Tensor[Groups];
        try
        {
            for (int g = 0; g < Groups; g++)
            {
                using var own = TowerSlices.Of(parameters, ParameterNames, g, Groups);
                using var share = Ops.Slice(x, 1, g * width, width);
                parts[g] = perGroup(own.Map, share, g);
            }
            return Ops.Concat(parts, 1);
        }
        finally
        {
            foreach (var part in parts) part?.Dispose();
        }
    }
}
