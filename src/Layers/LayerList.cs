using System.Collections;
using System.Collections.Immutable;

namespace AlexNet.Layers;

/// <summary>
/// An immutable list of layers that compares by value (element by element), so records holding one
/// (<see cref="Towers"/>, <see cref="Sequential"/>) and <see cref="Network"/> compare, hash and print as data.
/// </summary>
public sealed class LayerList : IReadOnlyList<Layer>, IEquatable<LayerList>
{
    private readonly ImmutableArray<Layer> _layers;

    /// <summary>Creates a list holding <paramref name="layers"/> in order.</summary>
    /// <exception cref="ArgumentNullException">The sequence or one of its layers is null.</exception>
    public LayerList(IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var array = layers.ToImmutableArray();
        for (int i = 0; i < array.Length; i++)
            if (array[i] is null) throw new ArgumentNullException(nameof(layers), $"Layer {i} of the list is null.");
        _layers = array;
    }

    /// <summary>The empty list.</summary>
    public static LayerList Empty { get; } = new([]);

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Layer this[int index] => _layers[index];

    /// <summary>The layers with every <see cref="Sequential"/> replaced by its contents, recursively (a
    /// <see cref="Towers"/> stays one element).</summary>
    public IEnumerable<Layer> Flatten()
    {
        foreach (var layer in _layers)
        {
            if (layer is Sequential s)
                foreach (var inner in s.Layers.Flatten()) yield return inner;
            else yield return layer;
        }
    }

    /// <inheritdoc/>
    public IEnumerator<Layer> GetEnumerator() => ((IEnumerable<Layer>)_layers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>True when both lists hold equal layers in the same order.</summary>
    public bool Equals(LayerList? other) => other is not null && _layers.SequenceEqual(other._layers);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LayerList);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var layer in _layers) h.Add(layer);
        return h.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(LayerList? a, LayerList? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(LayerList? a, LayerList? b) => !(a == b);

    /// <summary>The layers' own renderings, e.g. <c>[Relu { Name = relu1 }, Flatten { Name = flatten }]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _layers) + "]";
}
