namespace AlexNet.Facade;

/// <summary>
/// The paper's learning-rate rule: start at ε₀ and divide by 10 whenever the validation error has stopped improving.
/// "Stopped improving" is <see cref="Patience"/> consecutive epochs without a new lowest error; after
/// <see cref="MaxDrops"/> drops (three in the paper) the next plateau ends training. <see cref="Trainer"/> gives it the
/// mean training loss instead when a run has no validation set: any measure to be minimised works.
/// </summary>
public sealed class PlateauSchedule
{
    /// <summary>Creates a schedule, fresh or continuing from a saved state.</summary>
    /// <param name="initialRate">ε₀ (0.01 in the paper).</param>
    /// <param name="patience">Epochs without improvement that count as a plateau (≥ 1).</param>
    /// <param name="maxDrops">Most drops before a plateau ends training (≥ 0).</param>
    /// <param name="factor">Divisor of a drop (10 in the paper, &gt; 1).</param>
    /// <param name="state">A saved state to continue from.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public PlateauSchedule(float initialRate, int patience, int maxDrops, float factor = 10f, PlateauScheduleState? state = null)
    {
        if (!(initialRate > 0) || !float.IsFinite(initialRate)) throw new ArgumentException($"Learning rate must be finite and > 0, got {initialRate}.", nameof(initialRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDrops);
        if (!(factor > 1) || !float.IsFinite(factor)) throw new ArgumentException($"The drop factor must be finite and > 1, got {factor}.", nameof(factor));
        Patience = patience;
        MaxDrops = maxDrops;
        Factor = factor;
        State = state ?? new PlateauScheduleState(initialRate, double.PositiveInfinity, 0, 0);
    }

    /// <summary>Epochs without improvement that count as a plateau.</summary>
    public int Patience { get; }

    /// <summary>Most drops.</summary>
    public int MaxDrops { get; }

    /// <summary>Divisor of a drop.</summary>
    public float Factor { get; }

    /// <summary>The current state.</summary>
    public PlateauScheduleState State { get; private set; }

    /// <summary>The current learning rate.</summary>
    public float LearningRate => State.LearningRate;

    /// <summary>Divides the learning rate now, as a plateau would, if a drop is left (used when a time budget leaves
    /// too few epochs for a plateau to show).</summary>
    /// <returns>True when the rate was divided.</returns>
    public bool ForceDrop()
    {
        var s = State;
        if (s.Drops >= MaxDrops) return false;
        State = s with { LearningRate = s.LearningRate / Factor, EpochsSinceBest = 0, Drops = s.Drops + 1 };
        return true;
    }

    /// <summary>Takes the validation error of the epoch just finished and decides how to go on.</summary>
    /// <exception cref="ArgumentException">The error is NaN.</exception>
    public ScheduleDecision Observe(double validationError)
    {
        if (double.IsNaN(validationError)) throw new ArgumentException("Validation error is NaN.", nameof(validationError));
        var s = State;
        if (validationError < s.BestError)
        {
            State = s with { BestError = validationError, EpochsSinceBest = 0 };
            return ScheduleDecision.Continue;
        }
        int since = s.EpochsSinceBest + 1;
        if (since < Patience)
        {
            State = s with { EpochsSinceBest = since };
            return ScheduleDecision.Continue;
        }
        if (s.Drops >= MaxDrops)
        {
            State = s with { EpochsSinceBest = since };
            return ScheduleDecision.Stop;
        }
        State = s with { LearningRate = s.LearningRate / Factor, EpochsSinceBest = 0, Drops = s.Drops + 1 };
        return ScheduleDecision.Dropped;
    }
}
