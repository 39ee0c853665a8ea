namespace AlexNet.Autograd;

/// <summary>
/// The functional entry points of reverse-mode differentiation (JAX style): gradients are returned as values and no
/// state outlives the call.
/// </summary>
/// <example>
/// <code>
/// var (loss, grads) = Autodiff.ValueAndGrad(p => Ops.Mean(Ops.Square(Ops.MatMul(x, p["w"]) - y)), parameters);
/// </code>
/// </example>
public static class Autodiff
{
    /// <summary>
    /// Evaluates the scalar function <paramref name="f"/> at <paramref name="parameters"/> and returns its value and its
    /// gradient with respect to every parameter (same names, same shapes).
    /// </summary>
    /// <remarks>
    /// Everything <paramref name="f"/> computes from the parameters is released when this returns, except the value,
    /// which is returned as a copy the caller owns (as are the gradients).
    /// </remarks>
    /// <exception cref="ArgumentException">f does not return a one-element tensor.</exception>
    public static (Tensor Value, TensorMap Gradients) ValueAndGrad(Func<TensorMap, Tensor> f, TensorMap parameters)
    {
        var (value, _, grads) = ValueAndGrad(p => (f(p), 0), parameters);
        return (value, grads);
    }

    /// <summary>
    /// Like <see cref="ValueAndGrad(Func{TensorMap, Tensor}, TensorMap)"/>, with an auxiliary result of f passed through
    /// (for example predicted labels read inside f). The auxiliary value must not hold tensors f computed: those are
    /// released when this returns.
    /// </summary>
    public static (Tensor Value, TAux Aux, TensorMap Gradients) ValueAndGrad<TAux>(Func<TensorMap, (Tensor Value, TAux Aux)> f, TensorMap parameters)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(parameters);
        using var tape = new Tape();
        var watched = parameters.Map((_, t) => tape.Watch(t));
        var (value, aux) = f(watched);
        if (value.Count != 1)
            throw new ArgumentException($"ValueAndGrad needs f to return a scalar; it returned shape {value.Shape}.", nameof(f));
        var grads = tape.Gradients(value, [.. watched.Values]);
        var result = Ops.Copy(value, track: false);
        var names = parameters.Keys.ToArray();
        return (result, aux, TensorMap.From(names.Select((n, i) => KeyValuePair.Create(n, grads[i]))));
    }

    /// <summary>The gradient of the scalar function <paramref name="f"/> with respect to every parameter.</summary>
    public static TensorMap Grad(Func<TensorMap, Tensor> f, TensorMap parameters)
    {
        var (value, grads) = ValueAndGrad(f, parameters);
        value.Dispose();
        return grads;
    }
}
