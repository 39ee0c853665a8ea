using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Facade;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) and AdamW (Loshchilov &amp; Hutter 2019), beside the paper's <see cref="SgdMomentum"/>.
/// With g = ∂L/∂w and t the step number counted from 1:
/// m ← β₁·m + (1 − β₁)·g ; v ← β₂·v + (1 − β₂)·g² ; m̂ = m / (1 − β₁ᵗ) ; v̂ = v / (1 − β₂ᵗ) ;
/// w ← w − ε_lr·m̂ / (√v̂ + ε).
/// Weight decay λ is coupled (Adam: λ·w is added to g before the moments, an L2 penalty that the adaptive scaling then
/// weakens for weights with large gradients) or decoupled (AdamW, <see cref="AdamW"/>: w ← w − ε_lr·λ·w beside the
/// adaptive step, the same shrink for every weight).
/// </summary>
/// <remarks>
/// <para>Ownership is the same as <see cref="SgdMomentum"/>'s: the optimiser copies the weights it is given and from then
/// on owns those copies, the moments and the step count. <see cref="Optimizer.Parameters"/> is the same map from step to step,
/// overwritten by the backend's fused kernel (<see cref="InPlace.AdamUpdate"/>, one pass per tensor); the caller's
/// tensors are never touched. The optimiser owns <see cref="Optimizer.Parameters"/> until <see cref="Optimizer.TakeParameters"/> hands them
/// over: disposing it before that releases the weights with its state, after it only the state.</para>
/// <para>For checkpoints, <see cref="FirstMoment"/>, <see cref="SecondMoment"/> and <see cref="StepCount"/> are the
/// whole state; passing them back to the constructor resumes exactly where the saved optimiser stopped.</para>
/// </remarks>
public sealed class Adam : Optimizer
{
    /// <summary>Starts from copies of <paramref name="parameters"/> and of a saved state (zero moments at step 0 when none).</summary>
    /// <param name="parameters">The initial weights (not modified, not owned).</param>
    /// <param name="beta1">β₁, the first moment's decay, in [0, 1).</param>
    /// <param name="beta2">β₂, the second moment's decay, in [0, 1).</param>
    /// <param name="epsilon">ε, added to √v̂, finite and &gt; 0.</param>
    /// <param name="weightDecay">λ, finite and ≥ 0.</param>
    /// <param name="decoupledWeightDecay">True for AdamW's decoupled decay, false for Adam's L2 penalty on the gradient.</param>
    /// <param name="firstMoment">A saved m (for resuming), same names and shapes as the parameters; with
    /// <paramref name="secondMoment"/>, or neither.</param>
    /// <param name="secondMoment">A saved v, likewise.</param>
    /// <param name="stepCount">The number of steps the saved moments have seen; 0 without saved moments.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range, or the saved state is incomplete or does
    /// not match the parameters.</exception>
    public Adam(TensorMap parameters, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f,
                bool decoupledWeightDecay = false, TensorMap? firstMoment = null, TensorMap? secondMoment = null, long stepCount = 0)
        : base(Checked(parameters, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, firstMoment, secondMoment, stepCount))
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
        StepCount = stepCount;
        FirstMoment = CopyOrZeros(parameters, firstMoment);
        SecondMoment = CopyOrZeros(parameters, secondMoment);
        var state = TensorMap.Empty;
        foreach (var (name, m) in FirstMoment) state = state.Add(FirstMomentPrefix + name, m).Add(SecondMomentPrefix + name, SecondMoment[name]);
        State = state;
    }

    /// <summary>The parameters, once the settings and the saved state are known valid (before anything is copied).</summary>
    private static TensorMap Checked(TensorMap parameters, float beta1, float beta2, float epsilon, float weightDecay, bool decoupledWeightDecay,
                                     TensorMap? firstMoment, TensorMap? secondMoment, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // Validates the hyper-parameters with the messages of the kernel's own coefficients.
        AdamCoefficients.ForStep(0f, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, 1);
        if ((firstMoment is null) != (secondMoment is null))
            throw new ArgumentException("Resuming Adam needs both saved moments (firstMoment and secondMoment), or neither to start afresh.",
                                        firstMoment is null ? nameof(firstMoment) : nameof(secondMoment));
        if (stepCount < 0) throw new ArgumentException($"The step count must be ≥ 0, got {stepCount}.", nameof(stepCount));
        if (firstMoment is null && stepCount != 0)
            throw new ArgumentException($"A step count of {stepCount} without saved moments would apply the bias correction of a late step to zero moments; pass the saved firstMoment and secondMoment too, or start at 0.", nameof(stepCount));
        if (firstMoment is not null) CheckMatch(parameters, firstMoment, "first moment", nameof(firstMoment));
        if (secondMoment is not null) CheckMatch(parameters, secondMoment, "second moment", nameof(secondMoment));
        return parameters;
    }

    /// <summary>AdamW: Adam with decoupled weight decay, λ = 0.01 unless given (PyTorch's default).</summary>
    /// <param name="parameters">The initial weights (not modified, not owned).</param>
    /// <param name="weightDecay">λ, finite and ≥ 0; each step shrinks every weight by learning rate·λ.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, finite and &gt; 0.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range.</exception>
    public static Adam AdamW(TensorMap parameters, float weightDecay = 0.01f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f) =>
        new(parameters, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true);

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>True for AdamW (decoupled weight decay), false for Adam (L2 penalty added to the gradient).</summary>
    public bool DecoupledWeightDecay { get; }

    /// <summary>The number of steps taken so far (including those of a resumed state): the t of the bias correction
    /// is <see cref="StepCount"/> + 1 at the next step.</summary>
    public long StepCount { get; private set; }

    /// <summary>The first-moment estimates m, before bias correction (owned by the optimiser and updated by each step).</summary>
    public TensorMap FirstMoment { get; }

    /// <summary>The second-moment estimates v, before bias correction (owned by the optimiser and updated by each step).</summary>
    public TensorMap SecondMoment { get; }

    /// <summary>One update with learning rate <paramref name="learningRate"/>.</summary>
    /// <inheritdoc/>
    public override void Step(TensorMap gradients, float learningRate)
    {
        BeginStep(gradients, learningRate);
        var coefficients = AdamCoefficients.ForStep(learningRate, Beta1, Beta2, Epsilon, WeightDecay, DecoupledWeightDecay, StepCount + 1);
        foreach (var (name, w) in Parameters)
            InPlace.AdamUpdate(w, gradients[name], FirstMoment[name], SecondMoment[name], coefficients);
        StepCount++;
    }

    /// <summary>The moments as one map: <see cref="FirstMoment"/> under <c>m.NAME</c>, <see cref="SecondMoment"/> under
    /// <c>v.NAME</c> (the optimiser's own tensors; the step count is <see cref="StepCount"/>).</summary>
    public override TensorMap State { get; }

    /// <summary>The prefix of the first moments' names in <see cref="State"/>.</summary>
    internal const string FirstMomentPrefix = "m.";

    /// <summary>The prefix of the second moments' names in <see cref="State"/>.</summary>
    internal const string SecondMomentPrefix = "v.";

    /// <summary>Splits a map shaped like <see cref="State"/> into the first and second moments, named as the parameters.</summary>
    /// <exception cref="ArgumentException">A moment is missing, or the map holds a name that is neither.</exception>
    internal static (TensorMap First, TensorMap Second) SplitState(TensorMap parameters, TensorMap state)
    {
        TensorMap first = TensorMap.Empty, second = TensorMap.Empty;
        foreach (var name in parameters.Keys)
        {
            if (!state.TryGetValue(FirstMomentPrefix + name, out var m) || !state.TryGetValue(SecondMomentPrefix + name, out var v))
                throw new ArgumentException($"The saved Adam state has no moments '{FirstMomentPrefix}{name}' and '{SecondMomentPrefix}{name}' for parameter '{name}'; "
                                          + "was it saved by another optimiser?", nameof(state));
            first = first.Add(name, m);
            second = second.Add(name, v);
        }
        if (state.Count != 2 * parameters.Count)
            throw new ArgumentException($"The saved Adam state has {state.Count} tensors; {2 * parameters.Count} moments (m. and v. of each parameter) expected.", nameof(state));
        return (first, second);
    }
}
