using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// The paper's optimiser: stochastic gradient descent with momentum and weight decay,
/// v ← μ·v − λ·ε·w − ε·∂L/∂w ; w ← w + v (μ = 0.9, λ = 0.0005 in the paper, ε the learning rate).
/// </summary>
/// <remarks>
/// Parameters stay immutable from the caller's side: the optimiser owns its own copies of the weights and of the
/// velocities and overwrites them at every <see cref="Step"/> with the backend's fused kernel
/// (<see cref="InPlace.SgdMomentumUpdate"/>, one pass per tensor), so <see cref="Optimizer.Parameters"/> is the same map from
/// step to step and the caller's tensors are never touched. The optimiser owns <see cref="Optimizer.Parameters"/> until
/// <see cref="Optimizer.TakeParameters"/> hands them over: disposing it before that releases the weights with its state, after
/// it only the state. <see cref="Adam"/> follows the same model.
/// </remarks>
public sealed class SgdMomentum : Optimizer
{
    /// <summary>Starts from copies of <paramref name="parameters"/> and of <paramref name="velocity"/> (zeros when null).</summary>
    /// <param name="parameters">The initial weights (not modified, not owned).</param>
    /// <param name="momentum">μ, in [0, 1).</param>
    /// <param name="weightDecay">λ, ≥ 0.</param>
    /// <param name="velocity">A saved velocity (for resuming), same names and shapes as the parameters.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range or the velocity does not match.</exception>
    public SgdMomentum(TensorMap parameters, float momentum = 0.9f, float weightDecay = 5e-4f, TensorMap? velocity = null)
        : base(Checked(parameters, momentum, weightDecay, velocity))
    {
        Momentum = momentum;
        WeightDecay = weightDecay;
        Velocity = CopyOrZeros(parameters, velocity);
    }

    /// <summary>The parameters, once the settings are known valid (before anything is copied).</summary>
    private static TensorMap Checked(TensorMap parameters, float momentum, float weightDecay, TensorMap? velocity)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentException($"Momentum must be in [0, 1), got {momentum}.", nameof(momentum));
        if (!(weightDecay >= 0) || !float.IsFinite(weightDecay)) throw new ArgumentException($"Weight decay must be finite and ≥ 0, got {weightDecay}.", nameof(weightDecay));
        if (velocity is not null) CheckMatch(parameters, velocity, "velocity", nameof(velocity));
        return parameters;
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>The current velocities v (owned by the optimiser and updated by each step).</summary>
    public TensorMap Velocity { get; }

    /// <summary>One update with learning rate ε = <paramref name="learningRate"/>.</summary>
    /// <inheritdoc/>
    public override void Step(TensorMap gradients, float learningRate)
    {
        BeginStep(gradients, learningRate);
        foreach (var (name, w) in Parameters)
            InPlace.SgdMomentumUpdate(w, gradients[name], Velocity[name], learningRate, Momentum, WeightDecay);
    }

    /// <summary>The velocities, under the parameters' names (<see cref="Velocity"/>).</summary>
    public override TensorMap State => Velocity;
}
