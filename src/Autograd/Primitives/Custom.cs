namespace AlexNet.Autograd;

/// <summary>
/// The backward pass of a custom operation (<see cref="Ops.Custom"/>): given the inputs, the output and dL/d(output),
/// one gradient per input, each with that input's shape (null where none is needed). Return new tensors (the tape owns
/// and releases them); compute them with <see cref="Ops"/>, which are not recorded during the reverse pass.
/// </summary>
/// <param name="inputs">The operation's inputs (views: do not dispose).</param>
/// <param name="output">The operation's output (a view: do not dispose).</param>
/// <param name="outputGradient">dL/d(output), the output's shape.</param>
public delegate Tensor?[] CustomBackward(IReadOnlyList<Tensor> inputs, Tensor output, Tensor outputGradient);

public static partial class Ops
{
    /// <summary>
    /// A differentiable operation written by the caller: <paramref name="forward"/> computes the output from the inputs
    /// with any operations (they are not recorded), and <paramref name="backward"/> gives the inputs' gradients. Under a
    /// tape the result is recorded as one node, so <see cref="Autodiff.ValueAndGrad(Func{TensorMap, Tensor}, TensorMap)"/>
    /// differentiates through it with the caller's rule. Check the rule with <see cref="GradientCheck.Run"/>.
    /// </summary>
    /// <param name="name">Names the operation in error messages.</param>
    /// <param name="inputs">The inputs, at least one, all on one device.</param>
    /// <param name="forward">Computes the output; it must return a new tensor on the inputs' device, and read recorded
    /// tensors only through its inputs.</param>
    /// <param name="backward">The gradient rule.</param>
    /// <exception cref="ArgumentException">No inputs; inputs on different devices; the forward returned one of its
    /// inputs, a tensor on another device, or a tensor recorded on a tape (it read a watched tensor that is not an input).</exception>
    /// <exception cref="InvalidOperationException">In the reverse pass, the rule returned the wrong number of gradients,
    /// a gradient of the wrong shape, or the output gradient itself.</exception>
    public static Tensor Custom(string name, IReadOnlyList<Tensor> inputs, Func<IReadOnlyList<Tensor>, Tensor> forward, CustomBackward backward)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        if (inputs.Count == 0) throw new ArgumentException($"Custom operation '{name}' needs at least one input.", nameof(inputs));
        var all = inputs.ToArray();
        var backend = BackendOf(name, all);
        var views = all.Select(x => x.Detached()).ToArray();
        var y = forward(views) ?? throw new ArgumentException($"Custom operation '{name}': the forward returned null.", nameof(forward));
        if (views.Any(v => ReferenceEquals(v, y)) || all.Any(x => ReferenceEquals(x, y)))
            throw new ArgumentException($"Custom operation '{name}': the forward must return a new tensor, not one of its inputs (use Ops.Copy).", nameof(forward));
        if (y.Tape is not null)
            throw new ArgumentException($"Custom operation '{name}': the forward read a tensor recorded on a tape that is not one of its inputs; pass it as an input.", nameof(forward));
        if (!ReferenceEquals(y.Backend, backend))
            throw new ArgumentException($"Custom operation '{name}': the forward returned a tensor on {y.Device}, its inputs are on {backend.Name}.", nameof(forward));
        var shape = y.Shape;
        var buffer = y.Surrender();
        return Tape.Record(shape, buffer, all, g =>
        {
            var output = new Tensor(shape, buffer, ownsBuffer: false);
            var grads = backward(views, output, g);
            if (grads is null || grads.Length != all.Length)
                throw new InvalidOperationException($"Custom operation '{name}': the backward returned {grads?.Length ?? 0} gradients for {all.Length} inputs.");
            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is not { } gi) continue;
                if (gi.Shape != all[i].Shape)
                    throw new InvalidOperationException($"Custom operation '{name}': the gradient of input {i} has shape {gi.Shape}; the input has {all[i].Shape}.");
                if (ReferenceEquals(gi, g) || views.Contains(gi) || ReferenceEquals(gi, output))
                    throw new InvalidOperationException($"Custom operation '{name}': gradient {i} must be a new tensor (use Ops.Copy), not the output gradient, an input or the output.");
            }
            return grads;
        });
    }
}
