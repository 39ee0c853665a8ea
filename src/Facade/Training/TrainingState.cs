using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// Everything a run needs to continue exactly where it stopped: weights, the optimiser's state, epochs done, the
/// learning-rate schedule, the root random key and the history so far.
/// </summary>
/// <remarks>Disposing releases <see cref="Parameters"/> and <see cref="OptimizerState"/>: do it for the states
/// <see cref="Trainer.Run"/> returns and <see cref="TrainingCheckpoint.Load"/> reads, never for the one an observer is
/// shown (the trainer's live tensors).</remarks>
/// <param name="Parameters">The weights.</param>
/// <param name="OptimizerState">The optimiser's state as <see cref="Optimizer.State"/> names it (SGD's velocities under
/// the parameters' names; Adam's moments under <c>m.NAME</c> and <c>v.NAME</c>).</param>
/// <param name="EpochsDone">Completed epochs.</param>
/// <param name="Schedule">The learning-rate schedule's state.</param>
/// <param name="Key">The run's root key; epoch e's order, augmentation and dropout derive from it and e.</param>
/// <param name="History">One record per completed epoch.</param>
/// <param name="ElapsedSeconds">Wall time spent so far.</param>
/// <param name="Finished">True once the schedule ended the run.</param>
public sealed record TrainingState(
    TensorMap Parameters, TensorMap OptimizerState, int EpochsDone, PlateauScheduleState Schedule, RandomKey Key,
    IReadOnlyList<EpochRecord> History, double ElapsedSeconds, bool Finished) : IDisposable
{
    /// <summary>The state before the first epoch: the given weights (owned by the state from now on), the fresh state of
    /// the options' optimiser (zeros), the options' learning rate, the key of the seed.</summary>
    public static TrainingState Start(TensorMap parameters, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        return new TrainingState(parameters, Optimizer.InitialState(options.Optimizer, parameters), 0,
            new PlateauScheduleState(options.LearningRate, double.PositiveInfinity, 0, 0),
            RandomKeys.Root(options.Seed), [], 0, false);
    }

    /// <summary>Releases the weights and the optimiser's state.</summary>
    public void Dispose()
    {
        Parameters.DisposeAll();
        OptimizerState.DisposeAll();
    }
}
