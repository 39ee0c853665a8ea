using System.Collections;
using System.Collections.Immutable;

namespace AlexNet.Autograd;

/// <summary>
/// An immutable, ordered map from a parameter path (<c>conv1.weight</c>) to a tensor: the parameter tree of a model, its
/// gradients, or an optimizer's state. Order is insertion order, so printing and saving are stable.
/// </summary>
/// <remarks>Disposing a map disposes its tensors, so a map one owns reads <c>using var p = network.Init(key);</c>. Maps
/// derived from one another (<see cref="SetItem"/>, <see cref="Scope"/>) share tensors: dispose only the one that owns
/// them. Disposing a tensor twice is harmless.</remarks>
public sealed class TensorMap : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly ImmutableArray<string> _names;
    private readonly ImmutableDictionary<string, Tensor> _tensors;

    private TensorMap(ImmutableArray<string> names, ImmutableDictionary<string, Tensor> tensors)
    {
        _names = names;
        _tensors = tensors;
    }

    /// <summary>The empty map.</summary>
    public static TensorMap Empty { get; } = new([], ImmutableDictionary<string, Tensor>.Empty);

    /// <summary>Builds a map from (name, tensor) pairs in order.</summary>
    /// <exception cref="ArgumentException">A name appears twice or is empty.</exception>
    public static TensorMap From(IEnumerable<KeyValuePair<string, Tensor>> entries)
    {
        var map = Empty;
        foreach (var (name, tensor) in entries) map = map.Add(name, tensor);
        return map;
    }

    /// <summary>A new map with one more entry at the end.</summary>
    /// <exception cref="ArgumentException">The name is empty or already present.</exception>
    public TensorMap Add(string name, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (_tensors.ContainsKey(name)) throw new ArgumentException($"The map already has a tensor named '{name}'.", nameof(name));
        return new TensorMap(_names.Add(name), _tensors.Add(name, tensor));
    }

    /// <summary>A new map where <paramref name="name"/> (which must exist) holds <paramref name="tensor"/>.</summary>
    /// <exception cref="KeyNotFoundException">No entry has that name.</exception>
    public TensorMap SetItem(string name, Tensor tensor)
    {
        if (!_tensors.ContainsKey(name)) throw new KeyNotFoundException($"The map has no tensor named '{name}'.");
        return new TensorMap(_names, _tensors.SetItem(name, tensor));
    }

    /// <summary>A new map with every tensor transformed (names and order kept).</summary>
    public TensorMap Map(Func<string, Tensor, Tensor> transform)
    {
        var b = ImmutableDictionary.CreateBuilder<string, Tensor>();
        foreach (var n in _names) b.Add(n, transform(n, _tensors[n]));
        return new TensorMap(_names, b.ToImmutable());
    }

    /// <summary>The entries whose name starts with <paramref name="prefix"/> + '.', with the prefix removed.</summary>
    public TensorMap Scope(string prefix)
    {
        var p = prefix + ".";
        return From(_names.Where(n => n.StartsWith(p, StringComparison.Ordinal))
                          .Select(n => KeyValuePair.Create(n[p.Length..], _tensors[n])));
    }

    /// <summary>Total number of elements over all tensors.</summary>
    public long ElementCount => _tensors.Values.Sum(t => (long)t.Count);

    /// <summary>Disposes every tensor in the map.</summary>
    public void DisposeAll()
    {
        foreach (var t in _tensors.Values) t.Dispose();
    }

    /// <summary>Disposes every tensor in the map (as <see cref="DisposeAll"/>).</summary>
    public void Dispose() => DisposeAll();

    /// <summary>A new map without <paramref name="name"/> (the same map when it is absent); the tensor is not disposed.</summary>
    public TensorMap Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.ContainsKey(name) ? new TensorMap(_names.Remove(name), _tensors.Remove(name)) : this;
    }

    /// <summary>Parameter names in order.</summary>
    public IEnumerable<string> Keys => _names;

    /// <summary>Tensors in order.</summary>
    public IEnumerable<Tensor> Values => _names.Select(n => _tensors[n]);

    /// <summary>Number of entries.</summary>
    public int Count => _names.Length;

    /// <summary>The tensor named <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">No entry has that name; the message lists the names there are.</exception>
    public Tensor this[string key] => _tensors.TryGetValue(key, out var t)
        ? t
        : throw new KeyNotFoundException($"No tensor named '{key}'. Present: {string.Join(", ", _names)}.");

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out Tensor value) => _tensors.TryGetValue(key, out value!);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _names.Select(n => KeyValuePair.Create(n, _tensors[n])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
