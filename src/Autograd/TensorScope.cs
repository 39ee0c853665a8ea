namespace AlexNet.Autograd;

/// <summary>
/// A disposal scope for loops: every tensor created on this thread while the scope is the innermost open one is
/// disposed when the scope ends, unless <see cref="Keep(Tensor)"/> hands it to the enclosing scope (or to the caller,
/// when there is none). A training step then needs no <c>using</c> per temporary:
/// <code>
/// for (int step = 0; step &lt; steps; step++)
/// {
///     using var scope = TensorScope.Begin();
///     var x = Tensor.FromArray(batch, shape);
///     var (loss, grads) = Autodiff.ValueAndGrad(p =&gt; Ops.SoftmaxCrossEntropy(net.Apply(p, x, Mode.Train, key), labels), optimiser.Parameters);
///     optimiser.Step(grads, 0.01f);
/// }   // x, loss and grads are released here
/// </code>
/// </summary>
/// <remarks>
/// Create what must outlive the loop (parameters, optimisers, their state) before the scope begins, or keep it. Tensors
/// made on other threads (a prefetcher's batches) are not tracked. Tensors a tape recorded stay the tape's, as always.
/// Scopes nest and must end innermost first.
/// </remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly TensorScope? _outer;
    private readonly List<Tensor> _created = [];
    private readonly HashSet<Tensor> _kept = new(ReferenceEqualityComparer.Instance);
    private bool _ended;

    private TensorScope(TensorScope? outer) => _outer = outer;

    /// <summary>Opens a scope on this thread (inside the current one, if any).</summary>
    public static TensorScope Begin()
    {
        var scope = new TensorScope(t_current);
        t_current = scope;
        return scope;
    }

    /// <summary>Tensors this scope will dispose when it ends (for diagnostics).</summary>
    public int Count => _created.Count - _kept.Count;

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope, or to the caller when there is none, so that
    /// this scope's end does not dispose it.</summary>
    /// <returns><paramref name="tensor"/>.</returns>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _kept.Add(tensor);
        return tensor;
    }

    /// <summary>Keeps every tensor of <paramref name="map"/> (see <see cref="Keep(Tensor)"/>).</summary>
    /// <returns><paramref name="map"/>.</returns>
    public TensorMap Keep(TensorMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        foreach (var tensor in map.Values) _kept.Add(tensor);
        return map;
    }

    /// <summary>Records a tensor created on this thread with the innermost open scope.</summary>
    internal static void Track(Tensor tensor) => t_current?._created.Add(tensor);

    /// <summary>Disposes the tensors created inside the scope that were not kept; kept ones join the enclosing scope.</summary>
    /// <exception cref="InvalidOperationException">An inner scope is still open (scopes end innermost first).</exception>
    public void Dispose()
    {
        if (_ended) return;
        if (!ReferenceEquals(t_current, this))
            throw new InvalidOperationException("A TensorScope ended while a scope begun inside it is still open; end scopes innermost first (use 'using').");
        _ended = true;
        t_current = _outer;
        foreach (var tensor in _created)
        {
            if (!_kept.Contains(tensor)) tensor.Dispose();
            else _outer?._created.Add(tensor);
        }
        _created.Clear();
    }
}
