using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

/// <summary>
/// Computes the gradients of one recorded operation: given the gradient of its output, returns one gradient per input
/// (null where an input needs none). Each returned tensor must be new (never the output gradient itself): the tape owns
/// and disposes them. They may have the output's broadcast shape; the tape reduces them.
/// </summary>
/// <param name="outputGradient">dL/d(output), same shape as the output.</param>
public delegate Tensor?[] BackwardRule(Tensor outputGradient);

/// <summary>
/// An explicit reverse-mode tape (a Wengert list). Watch the tensors to differentiate with respect to; every operation
/// with a watched (or recorded) input is appended in creation order, which is already a topological order, so the
/// reverse pass is a plain backwards loop: no recursion, no global graph. Disposing the tape releases every tensor it
/// recorded.
/// </summary>
/// <remarks>
/// Gradients are returned as new tensors owned by the caller; running <see cref="Gradients"/> twice gives the same
/// result. Tensors used more than once accumulate their gradients (<c>b = a + a</c> gives 2). Higher-order gradients
/// are not supported: the reverse pass itself is not recorded.
/// </remarks>
public sealed class Tape : IDisposable
{
    private readonly List<TapeNode> _nodes = [];
    private readonly List<Tensor> _owned = [];
    private bool _inBackward;
    private bool _disposed;

    private readonly record struct TapeNode(Tensor Output, Tensor[] Inputs, BackwardRule? Backward);

    /// <summary>Number of recorded nodes (watched leaves included).</summary>
    public int Count => _nodes.Count;

    /// <summary>
    /// Starts tracking <paramref name="tensor"/>: returns a view of the same data that operations record on this tape.
    /// The caller keeps owning the original tensor.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The tape was disposed.</exception>
    public Tensor Watch(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var view = new Tensor(tensor.Shape, tensor.Buffer, this, _nodes.Count, ownsBuffer: false);
        _nodes.Add(new TapeNode(view, [], null));
        return view;
    }

    /// <summary>
    /// The gradient of the scalar <paramref name="output"/> with respect to each of <paramref name="sources"/> (which must
    /// be tensors returned by <see cref="Watch"/>). A source the output does not depend on gets zeros.
    /// </summary>
    /// <exception cref="ArgumentException">The output is not a one-element tensor recorded on this tape, or a source was
    /// not watched on this tape.</exception>
    public Tensor[] Gradients(Tensor output, IReadOnlyList<Tensor> sources)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sources);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (output.Count != 1)
            throw new ArgumentException($"Gradients need a scalar output; got shape {output.Shape}. Reduce it first (Ops.Sum or Ops.Mean).", nameof(output));
        foreach (var s in sources)
            if (s.Tape != this || s.Node < 0)
                throw new ArgumentException($"A source tensor of shape {s.Shape} was not watched on this tape; pass the tensors returned by Tape.Watch.", nameof(sources));

        var backend = output.Backend;
        if (output.Tape != this || output.Node < 0)
            return [.. sources.Select(s => Tensor.Zeros(s.Shape, s.Backend))];

        var grads = new Tensor?[_nodes.Count];
        var keep = new bool[_nodes.Count];
        foreach (var s in sources) keep[s.Node] = true;
        grads[output.Node] = Tensor.Ones(output.Shape, backend);
        _inBackward = true;
        try
        {
            for (int i = output.Node; i >= 0; i--)
            {
                var g = grads[i];
                var node = _nodes[i];
                if (g is null || node.Backward is null) continue;
                var inputGrads = node.Backward(g);
                for (int j = 0; j < node.Inputs.Length; j++)
                {
                    var input = node.Inputs[j];
                    var gj = inputGrads[j];
                    if (gj is null) continue;
                    if (input.Tape != this || input.Node < 0) { gj.Dispose(); continue; }
                    gj = Unbroadcast(gj, input.Shape);
                    var existing = grads[input.Node];
                    if (existing is null) grads[input.Node] = gj;
                    else
                    {
                        grads[input.Node] = Ops.Add(existing, gj);
                        existing.Dispose();
                        gj.Dispose();
                    }
                }
                if (!keep[i]) { g.Dispose(); grads[i] = null; }
            }
        }
        finally
        {
            _inBackward = false;
            for (int i = 0; i < grads.Length; i++)
                if (!keep[i]) grads[i]?.Dispose();
        }

        var result = new Tensor[sources.Count];
        var handedOut = new HashSet<int>();
        for (int k = 0; k < sources.Count; k++)
        {
            var s = sources[k];
            var g = grads[s.Node];
            // The same source listed twice gets two independent copies, so each can be disposed on its own.
            result[k] = g is null ? Tensor.Zeros(s.Shape, s.Backend) : handedOut.Add(s.Node) ? g : Ops.Copy(g);
        }
        return result;
    }

    /// <summary>Releases every tensor this tape recorded (watched views leave the caller's data alone).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var node in _nodes) node.Output.Release();
        foreach (var t in _owned) t.Release();
        _nodes.Clear();
        _owned.Clear();
    }

    /// <summary>The tape that an operation on these inputs records on, or null when none records.</summary>
    /// <exception cref="ArgumentException">Inputs are recorded on two different tapes.</exception>
    internal static Tape? Of(ReadOnlySpan<Tensor> inputs)
    {
        Tape? tape = null;
        foreach (var t in inputs)
        {
            if (t.Tape is null || t.Node < 0) continue;
            if (tape is not null && tape != t.Tape)
                throw new ArgumentException("An operation mixes tensors recorded on two different tapes; nested differentiation is not supported.");
            tape = t.Tape;
        }
        return tape is null || tape._inBackward || tape._disposed ? null : tape;
    }

    /// <summary>Wraps a freshly computed buffer as a tensor, recording it on the inputs' tape when one records.</summary>
    internal static Tensor Record(Shape shape, DeviceBuffer buffer, Tensor[] inputs, BackwardRule backward)
    {
        var tape = Of(inputs);
        if (tape is null) return new Tensor(shape, buffer);
        foreach (var input in inputs)
            if (input.Tape is null) input.ReadBy = tape;
        var t = new Tensor(shape, buffer, tape, tape._nodes.Count);
        tape._nodes.Add(new TapeNode(t, inputs, backward));
        return t;
    }

    /// <summary>True once disposed.</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>Keeps a tensor a backward rule needs (a dropout mask, saved probabilities) until the tape is disposed.</summary>
    internal void Own(Tensor tensor) => _owned.Add(tensor);

    /// <summary>True when a gradient should be computed for <paramref name="input"/> in the current reverse pass.</summary>
    internal static bool NeedsGradient(Tensor input) => input.Tape is not null && input.Node >= 0;

    /// <summary>Sums a broadcast gradient back to the shape of the input it belongs to (the one place broadcasting is undone).</summary>
    private static Tensor Unbroadcast(Tensor grad, Shape target)
    {
        if (grad.Shape == target) return grad;
        var g = grad;
        if (g.Rank > target.Rank)
        {
            // Leading axes that broadcasting added: sum them away.
            var lead = Enumerable.Range(0, g.Rank - target.Rank).ToArray();
            var summed = Ops.Sum(g, lead, keepDims: false);
            g.Dispose();
            g = summed;
        }
        var axes = new List<int>();
        for (int i = 0; i < target.Rank; i++)
            if (target[i] == 1 && g.Shape[i] != 1) axes.Add(i);
        if (axes.Count > 0)
        {
            var summed = Ops.Sum(g, [.. axes], keepDims: true);
            g.Dispose();
            g = summed;
        }
        if (g.Shape != target)
        {
            var reshaped = Ops.Reshape(g, target);
            g.Dispose();
            g = reshaped;
        }
        return g;
    }
}
