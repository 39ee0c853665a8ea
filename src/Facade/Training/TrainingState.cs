using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// Everything a run needs to continue exactly where it stopped: weights, momentum velocities, epochs done, the
/// learning-rate schedule, the root random key and the history so far.
/// </summary>
/// <param name="Parameters">The weights.</param>
/// <param name="Velocity">The optimiser's velocities (same names and shapes).</param>
/// <param name="EpochsDone">Completed epochs.</param>
/// <param name="Schedule">The learning-rate schedule's state.</param>
/// <param name="Key">The run's root key; epoch e's order, augmentation and dropout derive from it and e.</param>
/// <param name="History">One record per completed epoch.</param>
/// <param name="ElapsedSeconds">Wall time spent so far.</param>
/// <param name="Finished">True once the schedule ended the run.</param>
public sealed record TrainingState(
    TensorMap Parameters, TensorMap Velocity, int EpochsDone, PlateauScheduleState Schedule, RandomKey Key,
    IReadOnlyList<EpochRecord> History, double ElapsedSeconds, bool Finished)
{
    /// <summary>The state before the first epoch: zero velocities, the options' learning rate, the key of the seed.</summary>
    public static TrainingState Start(TensorMap parameters, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        return new TrainingState(parameters, parameters.Map((_, t) => Tensor.Zeros(t.Shape, t.Backend)), 0,
            new PlateauScheduleState(options.LearningRate, double.PositiveInfinity, 0, 0),
            RandomKeys.Root(options.Seed), [], 0, false);
    }
}
