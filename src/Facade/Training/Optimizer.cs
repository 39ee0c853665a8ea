using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// What every optimiser shares: it trains its own copy of the weights (<see cref="Parameters"/>, updated in place by
/// <see cref="Step"/>), owns that copy and its state until <see cref="TakeParameters"/> hands the weights to the caller,
/// and checks that gradients match the weights.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private bool _disposed;
    private bool _taken;

    /// <summary>Starts from copies of <paramref name="parameters"/> (not modified, not owned).</summary>
    private protected Optimizer(TensorMap parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.Map((_, t) => Ops.Copy(t, track: false));
    }

    /// <summary>The current weights (owned by the optimiser until <see cref="TakeParameters"/>, updated by each step).</summary>
    public TensorMap Parameters { get; }

    /// <summary>One update with learning rate <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">The gradients do not have the parameters' names, shapes and devices, or the
    /// rate is negative or not finite.</exception>
    /// <exception cref="ObjectDisposedException">The optimiser was disposed.</exception>
    /// <exception cref="InvalidOperationException">The weights were handed over with <see cref="TakeParameters"/>.</exception>
    public abstract void Step(TensorMap gradients, float learningRate);

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

    /// <summary>Releases the optimiser's state, and the weights unless they were handed over.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_taken) Parameters.DisposeAll();
        State.DisposeAll();
    }

    /// <summary>
    /// The state the optimiser owns besides the weights, as one named map (its own tensors, updated by each step, not
    /// copies): <see cref="SgdMomentum"/>'s velocities under the parameters' names, <see cref="Adam"/>'s moments under
    /// <c>m.NAME</c> and <c>v.NAME</c>. With the weights and the number of steps taken, it is what resuming needs
    /// (<see cref="Create"/>).
    /// </summary>
    public abstract TensorMap State { get; }

    /// <summary>The optimiser <paramref name="options"/> select, starting from copies of <paramref name="parameters"/>
    /// and of a saved <paramref name="state"/> (as <see cref="State"/> gave it; a fresh state when null).</summary>
    /// <param name="options">The settings (<see cref="TrainingOptions.Optimizer"/> and its hyper-parameters).</param>
    /// <param name="parameters">The weights (not modified, not owned).</param>
    /// <param name="state">A saved state, or null to start afresh.</param>
    /// <param name="stepsDone">Steps the saved state has seen (Adam's bias correction continues from there); 0 with no
    /// saved state.</param>
    /// <exception cref="ArgumentException">The options are invalid, or the state does not belong to this optimiser and
    /// these parameters.</exception>
    public static Optimizer Create(TrainingOptions options, TensorMap parameters, TensorMap? state = null, long stepsDone = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parameters);
        options.Validate();
        switch (options.Optimizer)
        {
            case OptimizerKind.SgdMomentum:
                if (state is null && stepsDone != 0)
                    throw new ArgumentException($"{stepsDone} steps done without a saved state: pass the saved velocities too, or start at 0.", nameof(stepsDone));
                return new SgdMomentum(parameters, options.Momentum, options.WeightDecay, state);
            default:
                var (m, v) = state is null ? (null, null) : Adam.SplitState(parameters, state);
                return new Adam(parameters, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay,
                                decoupledWeightDecay: options.Optimizer == OptimizerKind.AdamW, m, v, stepsDone);
        }
    }

    /// <summary>The names of the state an optimiser of kind <paramref name="kind"/> keeps for
    /// <paramref name="parameters"/>, each with the parameter whose shape it has (as <see cref="State"/> names them).</summary>
    internal static IEnumerable<(string State, string Parameter)> StateLayout(OptimizerKind kind, TensorMap parameters) =>
        kind == OptimizerKind.SgdMomentum
            ? parameters.Keys.Select(name => (name, name))
            : parameters.Keys.SelectMany(name => new[] { (Adam.FirstMomentPrefix + name, name), (Adam.SecondMomentPrefix + name, name) });

    /// <summary>The state a fresh optimiser of kind <paramref name="kind"/> has: zeros, named as its <see cref="State"/>.</summary>
    internal static TensorMap InitialState(OptimizerKind kind, TensorMap parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var zeros = TensorMap.Empty;
        foreach (var (state, parameter) in StateLayout(kind, parameters))
            zeros = zeros.Add(state, Tensor.Zeros(parameters[parameter].Shape, parameters[parameter].Backend));
        return zeros;
    }

    /// <summary>The checks before a step: alive, weights not handed over, a valid rate, matching gradients.</summary>
    private protected void BeginStep(TensorMap gradients, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_taken) throw new InvalidOperationException("The parameters were handed over with TakeParameters; this optimiser can take no further step.");
        if (!(learningRate >= 0) || !float.IsFinite(learningRate))
            throw new ArgumentException($"Learning rate must be finite and ≥ 0, got {learningRate}.", nameof(learningRate));
        CheckMatch(Parameters, gradients, "gradients", nameof(gradients));
    }

    /// <summary>Copies of <paramref name="saved"/> (same names and shapes as the parameters), or zeros when null.</summary>
    private protected static TensorMap CopyOrZeros(TensorMap parameters, TensorMap? saved) => saved is null
        ? parameters.Map((_, t) => Tensor.Zeros(t.Shape, t.Backend))
        : parameters.Map((name, _) => Ops.Copy(saved[name], track: false));

    /// <summary>Throws unless <paramref name="other"/> has exactly the parameters' names, shapes and devices.</summary>
    private protected static void CheckMatch(TensorMap parameters, TensorMap other, string what, string parameterName)
    {
        if (other.Count != parameters.Count)
            throw new ArgumentException($"The {what} map has {other.Count} tensors; the parameters have {parameters.Count}.", parameterName);
        foreach (var (name, w) in parameters)
        {
            if (!other.TryGetValue(name, out var t))
                throw new ArgumentException($"The {what} map has no tensor named '{name}'.", parameterName);
            if (t.Shape != w.Shape)
                throw new ArgumentException($"The {what} map for '{name}' has shape {t.Shape}; the parameter has {w.Shape}.", parameterName);
            if (!ReferenceEquals(t.Backend, w.Backend))
                throw new ArgumentException($"The {what} map for '{name}' lives on {t.Device}; the parameter on {w.Device}. Move it with Ops.To first.", parameterName);
        }
    }
}
