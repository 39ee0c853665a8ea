using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// One tower's share of stacked parameters: each named tensor cut along its first axis into equal parts, of which
/// tower <c>t</c> owns part <c>t</c>. Disposing releases the slices (a no-op for slices a tape recorded).
/// </summary>
internal sealed class TowerSlices : IDisposable
{
    private TowerSlices(TensorMap map) => Map = map;

    /// <summary>The tower's parameters under the same paths as the stacked ones.</summary>
    public TensorMap Map { get; }

    /// <summary>Slices tower <paramref name="tower"/> of <paramref name="towers"/> out of every parameter in
    /// <paramref name="names"/>.</summary>
    public static TowerSlices Of(TensorMap parameters, IEnumerable<string> names, int tower, int towers)
    {
        var map = TensorMap.Empty;
        foreach (var name in names)
        {
            var full = parameters[name];
            int part = full.Shape[0] / towers;
            map = map.Add(name, Ops.Slice(full, 0, tower * part, part));
        }
        return new TowerSlices(map);
    }

    /// <inheritdoc/>
    public void Dispose() => Map.DisposeAll();
}
