using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// Where the towers of a network run: one device per tower (the paper: one GPU each), plus a primary device for the
/// layers outside Towers blocks and for the output.
/// </summary>
/// <remarks>
/// A placed pass needs <i>sharded</i> parameters: each parameter of a Towers block is cut along its first axis into one
/// slice per tower, stored on that tower's device under <see cref="ShardName"/> (<c>conv2.tower1.weight</c>); the
/// other parameters keep their paths and live on the primary device. <see cref="Shard"/> and <see cref="Gather"/>
/// convert between that map and the network's own (the layout checkpoints store). Gradients of a placed pass come back
/// sharded the same way, so an optimiser can update every slice on its own device.
/// </remarks>
public sealed class TowerPlacement
{
    /// <summary>Places tower <c>t</c> on <c>towers[t]</c> and the rest on <paramref name="primary"/>.</summary>
    /// <param name="towers">One device per tower; the same device may appear more than once.</param>
    /// <param name="primary">Device of the layers outside Towers blocks; <c>towers[0]</c> when null.</param>
    /// <exception cref="ArgumentException">No devices are given, or one is null.</exception>
    public TowerPlacement(IReadOnlyList<IBackend> towers, IBackend? primary = null)
    {
        ArgumentNullException.ThrowIfNull(towers);
        if (towers.Count == 0) throw new ArgumentException("A placement needs at least one tower device.", nameof(towers));
        if (towers.Any(t => t is null)) throw new ArgumentException("A tower device is null.", nameof(towers));
        Towers = [.. towers];
        Primary = primary ?? towers[0];
    }

    /// <summary>The device of each tower.</summary>
    public IReadOnlyList<IBackend> Towers { get; }

    /// <summary>The device of every layer outside Towers blocks, and of the output.</summary>
    public IBackend Primary { get; }

    /// <summary>The path of tower <paramref name="tower"/>'s slice of <paramref name="parameter"/>:
    /// <c>conv2.weight</c> → <c>conv2.tower1.weight</c>.</summary>
    /// <exception cref="ArgumentException">The path is not <c>&lt;layer&gt;.&lt;tensor&gt;</c> or the tower is negative.</exception>
    public static string ShardName(string parameter, int tower)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentOutOfRangeException.ThrowIfNegative(tower);
        int dot = parameter.LastIndexOf('.');
        if (dot <= 0 || dot == parameter.Length - 1)
            throw new ArgumentException($"'{parameter}' is not a parameter path of the form <layer>.<tensor>.", nameof(parameter));
        return $"{parameter[..dot]}.tower{tower}{parameter[dot..]}";
    }

    /// <summary>
    /// Shares a network's parameters out over the devices: every Towers parameter as one slice per tower on that
    /// tower's device, every other parameter copied to the primary device. The result holds new tensors the caller owns.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="parameters">The network's parameters (unsharded, as <see cref="Network.Init(RandomKey, IBackend?)"/>
    /// and checkpoints give them), on any device.</param>
    /// <exception cref="ArgumentException">A parameter is missing or has the wrong shape, or a block's tower count
    /// differs from this placement's.</exception>
    public TensorMap Shard(Network network, TensorMap parameters)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        var result = TensorMap.Empty;
        foreach (var (spec, block) in network.Slots)
        {
            if (!parameters.TryGetValue(spec.Name, out var full) || full.Shape != spec.Shape)
                throw new ArgumentException($"Parameter '{spec.Name}' {spec.Shape} is missing or has another shape ({full?.Shape}).", nameof(parameters));
            if (block is null)
            {
                result = result.Add(spec.Name, MoveOrCopy(full, Primary));
                continue;
            }
            CheckCount(block);
            int part = spec.Shape[0] / block.Count;
            for (int t = 0; t < block.Count; t++)
            {
                using var slice = Ops.Slice(full, 0, t * part, part);
                result = result.Add(ShardName(spec.Name, t), MoveOrCopy(slice, Towers[t]));
            }
        }
        return result;
    }

    /// <summary>
    /// The inverse of <see cref="Shard"/>: joins every tower's slices on <paramref name="device"/> (the primary device
    /// when null) and copies the other parameters there. Works on gradients and optimiser state of the same layout.
    /// The result holds new tensors the caller owns.
    /// </summary>
    /// <exception cref="ArgumentException">A sharded tensor is missing or has the wrong shape, or a block's tower count
    /// differs from this placement's.</exception>
    public TensorMap Gather(Network network, TensorMap sharded, IBackend? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(sharded);
        var target = device ?? Primary;
        var result = TensorMap.Empty;
        foreach (var (spec, block) in network.Slots)
        {
            if (block is null)
            {
                result = result.Add(spec.Name, MoveOrCopy(Find(sharded, spec.Name, spec.Shape), target));
                continue;
            }
            CheckCount(block);
            var sliceShape = spec.Shape.With(0, spec.Shape[0] / block.Count);
            var parts = new Tensor[block.Count];
            try
            {
                for (int t = 0; t < block.Count; t++)
                    parts[t] = MoveOrCopy(Find(sharded, ShardName(spec.Name, t), sliceShape), target);
                result = result.Add(spec.Name, Ops.Concat(parts, 0));
            }
            finally
            {
                foreach (var p in parts) p?.Dispose();
            }
        }
        return result;
    }

    /// <summary>Tower <paramref name="tower"/>'s parameters <paramref name="names"/> under their unsharded paths
    /// (the sharded map's tensors, nothing copied).</summary>
    internal static TensorMap TowerParameters(TensorMap sharded, IEnumerable<string> names, int tower)
    {
        var map = TensorMap.Empty;
        foreach (var name in names) map = map.Add(name, sharded[ShardName(name, tower)]);
        return map;
    }

    private void CheckCount(Towers block)
    {
        if (block.Count != Towers.Count)
            throw new ArgumentException($"Towers block '{block.Name}' has {block.Count} towers but the placement has {Towers.Count} devices.");
    }

    private static Tensor Find(TensorMap map, string name, Shape shape)
    {
        if (!map.TryGetValue(name, out var t) || t.Shape != shape)
            throw new ArgumentException($"Sharded tensor '{name}' {shape} is missing or has another shape ({t?.Shape}).", nameof(map));
        return t;
    }

    private static Tensor MoveOrCopy(Tensor x, IBackend device) =>
        ReferenceEquals(x.Backend, device) ? Ops.Copy(x, track: false) : Ops.To(x, device);
}
