namespace AlexNet.Autograd.Kernels;

/// <summary>
/// The scalars of one Adam step as the fused kernel <see cref="IBackend.AdamUpdate"/> consumes them, per element:
/// g ← g + <see cref="GradientDecay"/>·w; m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²;
/// w ← <see cref="WeightScale"/>·w − <see cref="StepSize"/>·m / (√v·<see cref="SecondMomentScale"/> + ε).
/// </summary>
/// <remarks>
/// The bias corrections of Kingma &amp; Ba are folded into <see cref="StepSize"/> = ε_lr / (1 − β₁ᵗ) and
/// <see cref="SecondMomentScale"/> = 1 / √(1 − β₂ᵗ), computed once per step in double precision by <see cref="ForStep"/>,
/// so the kernel stays one pass of multiplies, adds, one square root and one division.
/// </remarks>
/// <param name="Beta1">β₁, the decay of the first-moment estimate m.</param>
/// <param name="Beta2">β₂, the decay of the second-moment estimate v.</param>
/// <param name="Epsilon">ε added to the corrected √v.</param>
/// <param name="StepSize">Learning rate divided by the first moment's bias correction 1 − β₁ᵗ.</param>
/// <param name="SecondMomentScale">1 / √(1 − β₂ᵗ), the second moment's bias correction under the square root.</param>
/// <param name="GradientDecay">λ of an L2 penalty added to the gradient (Adam's coupled weight decay); 0 for AdamW.</param>
/// <param name="WeightScale">1 − learning rate·λ for decoupled weight decay (AdamW); 1 otherwise.</param>
public readonly record struct AdamCoefficients(
    float Beta1, float Beta2, float Epsilon, float StepSize, float SecondMomentScale, float GradientDecay, float WeightScale)
{
    /// <summary>The coefficients of step number <paramref name="step"/> (counted from 1).</summary>
    /// <param name="learningRate">The learning rate, finite and ≥ 0.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, finite and &gt; 0.</param>
    /// <param name="weightDecay">λ, finite and ≥ 0.</param>
    /// <param name="decoupled">True for AdamW (Loshchilov &amp; Hutter): the weights shrink by learning rate·λ outside
    /// the adaptive scaling; false for Adam with λ·w added to the gradient.</param>
    /// <param name="step">The step being taken, ≥ 1 (the first step is 1).</param>
    /// <exception cref="ArgumentException">A value is out of its range.</exception>
    public static AdamCoefficients ForStep(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled, long step)
    {
        if (!(learningRate >= 0) || !float.IsFinite(learningRate))
            throw new ArgumentException($"Learning rate must be finite and ≥ 0, got {learningRate}.", nameof(learningRate));
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"β1 must be in [0, 1), got {beta1}.", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"β2 must be in [0, 1), got {beta2}.", nameof(beta2));
        if (!(epsilon > 0) || !float.IsFinite(epsilon))
            throw new ArgumentException($"ε must be finite and > 0, got {epsilon}.", nameof(epsilon));
        if (!(weightDecay >= 0) || !float.IsFinite(weightDecay))
            throw new ArgumentException($"Weight decay must be finite and ≥ 0, got {weightDecay}.", nameof(weightDecay));
        if (step < 1) throw new ArgumentException($"Adam steps are counted from 1, got {step}.", nameof(step));
        double firstCorrection = 1 - Math.Pow(beta1, step);
        double secondCorrection = 1 - Math.Pow(beta2, step);
        return new AdamCoefficients(
            beta1, beta2, epsilon,
            StepSize: (float)(learningRate / firstCorrection),
            SecondMomentScale: (float)(1 / Math.Sqrt(secondCorrection)),
            GradientDecay: decoupled ? 0f : weightDecay,
            WeightScale: decoupled ? (float)(1 - (double)learningRate * weightDecay) : 1f);
    }
}
