using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// The paper's optimiser: stochastic gradient descent with momentum and weight decay,
/// v ← μ·v − λ·ε·w − ε·∂L/∂w ; w ← w + v (μ = 0.9, λ = 0.0005 in the paper, ε the learning rate).
/// </summary>
/// <remarks>
/// Parameters stay immutable from the caller's side: the optimiser owns its own copies of the weights and of the
/// velocities and overwrites them at every <see cref="Step"/> with the backend's fused kernel
/// (<see cref="InPlace.SgdMomentumUpdate"/>, one pass per tensor), so <see cref="Parameters"/> is the same map from
/// step to step and the caller's tensors are never touched. The optimiser owns <see cref="Parameters"/> until
/// <see cref="TakeParameters"/> hands them over: disposing it before that releases the weights with its state, after
/// it only the state. <see cref="Adam"/> follows the same model.
/// </remarks>
public sealed class SgdMomentum : IDisposable
{
    /// <summary>Starts from copies of <paramref name="parameters"/> and of <paramref name="velocity"/> (zeros when null).</summary>
    /// <param name="parameters">The initial weights (not modified, not owned).</param>
    /// <param name="momentum">μ, in [0, 1).</param>
    /// <param name="weightDecay">λ, ≥ 0.</param>
    /// <param name="velocity">A saved velocity (for resuming), same names and shapes as the parameters.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range or the velocity does not match.</exception>
    public SgdMomentum(TensorMap parameters, float momentum = 0.9f, float weightDecay = 5e-4f, TensorMap? velocity = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentException($"Momentum must be in [0, 1), got {momentum}.", nameof(momentum));
        if (!(weightDecay >= 0) || !float.IsFinite(weightDecay)) throw new ArgumentException($"Weight decay must be finite and ≥ 0, got {weightDecay}.", nameof(weightDecay));
        if (velocity is not null) CheckMatch(parameters, velocity, "velocity");
        Momentum = momentum;
        WeightDecay = weightDecay;
        Parameters = parameters.Map((_, t) => Ops.Copy(t, track: false));
        Velocity = velocity is null
            ? parameters.Map((_, t) => Tensor.Zeros(t.Shape, t.Backend))
            : velocity.Map((_, t) => Ops.Copy(t, track: false));
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>The current weights (owned by the optimiser and updated by each step).</summary>
    public TensorMap Parameters { get; }

    /// <summary>The current velocities v (owned by the optimiser and updated by each step).</summary>
    public TensorMap Velocity { get; }

    /// <summary>One update with learning rate ε = <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">The gradients do not have the parameters' names and shapes, or the rate is
    /// negative or not finite.</exception>
    /// <exception cref="ObjectDisposedException">The optimiser was disposed.</exception>
    public void Step(TensorMap gradients, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_taken) throw new InvalidOperationException("The parameters were handed over with TakeParameters; this optimiser can take no further step.");
        if (!(learningRate >= 0) || !float.IsFinite(learningRate))
            throw new ArgumentException($"Learning rate must be finite and ≥ 0, got {learningRate}.", nameof(learningRate));
        CheckMatch(Parameters, gradients, "gradients");
        foreach (var (name, w) in Parameters)
            InPlace.SgdMomentumUpdate(w, gradients[name], Velocity[name], learningRate, Momentum, WeightDecay);
    }

    private bool _disposed;
    private bool _taken;

    /// <summary>
    /// Hands the weights over: the caller owns them from now on (dispose them when done; a <c>using</c> on the map does
    /// it), disposing the optimiser no longer releases them, and the optimiser can take no further step.
    /// </summary>
    /// <returns><see cref="Parameters"/>.</returns>
    /// <exception cref="ObjectDisposedException">The optimiser was disposed.</exception>
    /// <exception cref="InvalidOperationException">The weights were already handed over.</exception>
    public TensorMap TakeParameters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_taken) throw new InvalidOperationException("The parameters were already handed over with TakeParameters.");
        _taken = true;
        return Parameters;
    }

    /// <summary>Releases the weights and velocities the optimiser owns.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_taken) Parameters.DisposeAll();
        Velocity.DisposeAll();
    }

    private static void CheckMatch(TensorMap parameters, TensorMap other, string what)
    {
        if (other.Count != parameters.Count)
            throw new ArgumentException($"The {what} have {other.Count} tensors; the parameters have {parameters.Count}.", what);
        foreach (var (name, w) in parameters)
        {
            if (!other.TryGetValue(name, out var t))
                throw new ArgumentException($"The {what} have no tensor named '{name}'.", what);
            if (t.Shape != w.Shape)
                throw new ArgumentException($"The {what} for '{name}' have shape {t.Shape}; the parameter has {w.Shape}.", what);
        }
    }
}
