using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

public sealed partial class Network
{
    /// <summary>
    /// The forward pass on one device: a batch [N, ...<see cref="InputShape"/>] to logits [N, ...<see cref="OutputShape"/>].
    /// Pure: the same parameters, input, mode and key give the same output.
    /// </summary>
    /// <param name="parameters">The parameters (from <see cref="Init(RandomKey, IBackend?)"/> or a checkpoint), on
    /// <paramref name="x"/>'s device.</param>
    /// <param name="x">The batch.</param>
    /// <param name="mode">Train (dropout active) or eval.</param>
    /// <param name="key">Random key of this pass (dropout masks); ignored in eval mode.</param>
    /// <remarks>A final <see cref="Softmax"/> layer is <b>not</b> applied: the result is the logits, which is what the
    /// loss (<see cref="Ops.SoftmaxCrossEntropy(Tensor, ReadOnlySpan{int})"/>) wants. Use
    /// <see cref="Inference.PredictProbabilities(Network, TensorMap, Tensor)"/> for probabilities. Towers blocks run fused (grouped convolutions).
    /// Call it inside <see cref="Autodiff.ValueAndGrad(Func{TensorMap, Tensor}, TensorMap)"/> to get gradients.</remarks>
    /// <exception cref="ArgumentException">x is not [N, ...InputShape], or a parameter is missing or has the wrong shape.</exception>
    public Tensor Apply(TensorMap parameters, Tensor x, Mode mode, RandomKey key)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckInput(x);
        CheckParameters(parameters, null);
        return StepChain.Run(_runSteps, parameters, x, mode, key);
    }

    /// <summary>
    /// The forward pass with every tower on its own device, as the paper's two GPUs: parameters shared out by
    /// <see cref="TowerPlacement.Shard"/>, layers outside Towers blocks on <see cref="TowerPlacement.Primary"/>.
    /// Gives the same result as the one-device pass.
    /// </summary>
    /// <param name="parameters">Sharded parameters (see <see cref="TowerPlacement.Shard"/>).</param>
    /// <param name="x">The batch, on any device.</param>
    /// <param name="mode">Train (dropout active) or eval.</param>
    /// <param name="key">Random key of this pass (dropout masks); ignored in eval mode.</param>
    /// <param name="placement">The devices.</param>
    /// <returns>Logits on the primary device.</returns>
    /// <remarks>Data moves between devices (<see cref="Ops.To"/>, then <see cref="Ops.Concat"/>) only where a layer
    /// reads more than one tower: into every tower of a block that follows another block (each tower gathers all
    /// towers' outputs), and into the first layer after a block (gathered on the primary device). The input is sent to
    /// each tower of a first block that does not already hold it. The gradient flows back along the same transfers.</remarks>
    /// <exception cref="ArgumentException">x is not [N, ...InputShape]; a sharded parameter is missing, has the wrong
    /// shape or lives on the wrong device; or the placement's tower count differs from a block's.</exception>
    public Tensor Apply(TensorMap parameters, Tensor x, Mode mode, RandomKey key, TowerPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(placement);
        CheckInput(x);
        CheckParameters(parameters, placement);
        int units = _units[^1] is Softmax ? _units.Count - 1 : _units.Count;
        if (units == 0) return Ops.Copy(x);

        var value = new Stacked([x], Owned: false);
        for (int u = 0; u < units; u++)
        {
            var unit = _units[u];
            Stacked next;
            if (unit is Towers block)
            {
                var outputs = new Tensor[block.Count];
                for (int t = 0; t < block.Count; t++)
                {
                    var (input, ownsInput) = value.GatherOn(placement.Towers[t]);
                    outputs[t] = StepChain.Run(_placedSteps[u][t], TowerPlacement.TowerParameters(parameters, BlockParameters(block), t), input, mode, key);
                    if (ownsInput) input.Dispose();
                }
                next = new Stacked(outputs, Owned: true);
            }
            else
            {
                var (input, ownsInput) = value.GatherOn(placement.Primary);
                var y = StepChain.Run(_placedSteps[u][0], parameters, input, mode, key);
                if (ownsInput) input.Dispose();
                next = new Stacked([y], Owned: true);
            }
            value.Release();
            value = next;
        }
        var (result, ownsResult) = value.GatherOn(placement.Primary);
        if (ownsResult) value.Release();
        return result;
    }

    /// <summary>Paths of the parameters of <paramref name="block"/>.</summary>
    private IEnumerable<string> BlockParameters(Towers block) =>
        _slots.Where(s => ReferenceEquals(s.Block, block)).Select(s => s.Spec.Name);

    private void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        bool fits = x.Rank == InputShape.Rank + 1 && x.Shape[0] >= 1;
        for (int i = 0; fits && i < InputShape.Rank; i++) fits = x.Shape[i + 1] == InputShape[i];
        if (!fits)
            throw new ArgumentException($"The network takes batches [N, {string.Join(", ", InputShape.Dims)}] with N ≥ 1; got {x.Shape}.", nameof(x));
    }

    private void CheckParameters(TensorMap parameters, TowerPlacement? placement)
    {
        foreach (var (spec, block) in _slots)
        {
            if (placement is null || block is null)
            {
                CheckParameter(parameters, spec.Name, spec.Shape, placement?.Primary, placement is null ? null : "the primary device");
                continue;
            }
            if (block.Count != placement.Towers.Count)
                throw new ArgumentException($"Towers block '{block.Name}' has {block.Count} towers but the placement has {placement.Towers.Count} devices.", nameof(placement));
            var shape = spec.Shape.With(0, spec.Shape[0] / block.Count);
            for (int t = 0; t < block.Count; t++)
                CheckParameter(parameters, TowerPlacement.ShardName(spec.Name, t), shape, placement.Towers[t], $"tower {t}'s device");
        }
    }

    private static void CheckParameter(TensorMap parameters, string name, Shape shape, IBackend? device, string? where)
    {
        if (!parameters.TryGetValue(name, out var tensor))
        {
            string hint = name.Count(c => c == '.') == 1 && parameters.Keys.Any(k => k.StartsWith(name.Split('.')[0] + ".tower", StringComparison.Ordinal))
                ? " (the map looks sharded: pass the TowerPlacement, or gather it with TowerPlacement.Gather)"
                : "";
            throw new ArgumentException($"Parameter '{name}' {shape} is missing from the map{hint}.", nameof(parameters));
        }
        if (tensor.Shape != shape)
            throw new ArgumentException($"Parameter '{name}' has shape {tensor.Shape}; the network needs {shape}.", nameof(parameters));
        if (device is not null && !ReferenceEquals(tensor.Backend, device))
            throw new ArgumentException($"Parameter '{name}' lives on {tensor.Device} but belongs on {where} ({device.Name}); shard the parameters with the same TowerPlacement.", nameof(parameters));
    }

    /// <summary>The value flowing between units in a placed pass: one tensor, or one per tower (stacked along axis 1).</summary>
    private readonly record struct Stacked(Tensor[] Parts, bool Owned)
    {
        /// <summary>All parts on <paramref name="device"/>, joined along axis 1; <c>Owned</c> tells whether the result is new.</summary>
        public (Tensor Tensor, bool Owned) GatherOn(IBackend device)
        {
            if (Parts.Length == 1)
            {
                var only = Parts[0];
                return ReferenceEquals(only.Backend, device) ? (only, false) : (Ops.To(only, device), true);
            }
            var moved = new Tensor[Parts.Length];
            try
            {
                for (int i = 0; i < Parts.Length; i++)
                    moved[i] = ReferenceEquals(Parts[i].Backend, device) ? Parts[i] : Ops.To(Parts[i], device);
                return (Ops.Concat(moved, 1), true);
            }
            finally
            {
                for (int i = 0; i < Parts.Length; i++)
                    if (moved[i] is not null && !ReferenceEquals(moved[i], Parts[i])) moved[i].Dispose();
            }
        }

        /// <summary>Releases the parts when they are intermediates (never the caller's input).</summary>
        public void Release()
        {
            if (!Owned) return;
            foreach (var part in Parts) part.Dispose();
        }
    }
}
