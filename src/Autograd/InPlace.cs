using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

/// <summary>
/// The few updates that overwrite a tensor instead of returning a new one. They exist for optimiser state: an optimiser
/// owns private copies of the weights and velocities, and rewriting them in one fused pass is many times cheaper than
/// composing the update from elementwise primitives (which would read and write every weight about fifteen times).
/// Tensors recorded on a tape are refused, so nothing a gradient depends on can change underneath it.
/// </summary>
internal static class InPlace
{
    /// <summary>
    /// The paper's SGD step on optimiser-owned tensors: v ← μ·v − λ·ε·w − ε·g; w ← w + v.
    /// </summary>
    /// <param name="weights">w, overwritten.</param>
    /// <param name="gradient">g = ∂L/∂w (read only).</param>
    /// <param name="velocity">v, overwritten.</param>
    /// <param name="learningRate">ε.</param>
    /// <param name="momentum">μ.</param>
    /// <param name="weightDecay">λ.</param>
    /// <exception cref="ArgumentException">Shapes or devices differ, or a tensor to overwrite is recorded on a tape.</exception>
    public static void SgdMomentumUpdate(Tensor weights, Tensor gradient, Tensor velocity, float learningRate, float momentum, float weightDecay)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(velocity);
        if (weights.Shape != gradient.Shape || weights.Shape != velocity.Shape)
            throw new ArgumentException($"SgdMomentumUpdate: weights {weights.Shape}, gradient {gradient.Shape} and velocity {velocity.Shape} must have one shape.");
        if (!ReferenceEquals(weights.Backend, gradient.Backend) || !ReferenceEquals(weights.Backend, velocity.Backend))
            throw new ArgumentException($"SgdMomentumUpdate: weights ({weights.Device}), gradient ({gradient.Device}) and velocity ({velocity.Device}) must live on one device.");
        if (weights.Tape is not null || velocity.Tape is not null)
            throw new ArgumentException("SgdMomentumUpdate overwrites its weights and velocity; pass the optimiser's own copies, not tensors recorded on a tape.");
        weights.Backend.SgdMomentumUpdate(weights.Buffer, gradient.Buffer, velocity.Buffer, weights.Count, learningRate, momentum, weightDecay);
    }

    /// <summary>
    /// One Adam or AdamW step on optimiser-owned tensors, fused into one pass (see <see cref="AdamCoefficients"/> for the
    /// per-element rule and <see cref="AdamCoefficients.ForStep"/> for the scalars of a given step).
    /// </summary>
    /// <param name="weights">w, overwritten.</param>
    /// <param name="gradient">g = ∂L/∂w (read only).</param>
    /// <param name="firstMoment">m, the running mean of the gradient, overwritten.</param>
    /// <param name="secondMoment">v, the running mean of the squared gradient, overwritten.</param>
    /// <param name="coefficients">The step's scalars.</param>
    /// <exception cref="ArgumentException">Shapes or devices differ, or a tensor to overwrite is recorded on a tape.</exception>
    public static void AdamUpdate(Tensor weights, Tensor gradient, Tensor firstMoment, Tensor secondMoment, AdamCoefficients coefficients)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(firstMoment);
        ArgumentNullException.ThrowIfNull(secondMoment);
        if (weights.Shape != gradient.Shape || weights.Shape != firstMoment.Shape || weights.Shape != secondMoment.Shape)
            throw new ArgumentException($"AdamUpdate: weights {weights.Shape}, gradient {gradient.Shape}, first moment {firstMoment.Shape} and second moment {secondMoment.Shape} must have one shape.");
        if (!ReferenceEquals(weights.Backend, gradient.Backend) || !ReferenceEquals(weights.Backend, firstMoment.Backend) || !ReferenceEquals(weights.Backend, secondMoment.Backend))
            throw new ArgumentException($"AdamUpdate: weights ({weights.Device}), gradient ({gradient.Device}), first moment ({firstMoment.Device}) and second moment ({secondMoment.Device}) must live on one device.");
        if (weights.Tape is not null || firstMoment.Tape is not null || secondMoment.Tape is not null)
            throw new ArgumentException("AdamUpdate overwrites its weights and moments; pass the optimiser's own copies, not tensors recorded on a tape.");
        weights.Backend.AdamUpdate(weights.Buffer, gradient.Buffer, firstMoment.Buffer, secondMoment.Buffer, weights.Count, coefficients);
    }
}
