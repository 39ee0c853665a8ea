namespace AlexNet.Facade;

/// <summary>Receives a run's progress (called on the training thread; keep each call short).</summary>
public interface ITrainingObserver
{
    /// <summary>An epoch starts.</summary>
    /// <param name="epoch">1-based epoch number.</param>
    /// <param name="batches">Training steps in it.</param>
    /// <param name="learningRate">The rate it uses.</param>
    void EpochStarted(int epoch, int batches, float learningRate);

    /// <summary>A training step finished.</summary>
    void BatchCompleted(BatchProgress progress);

    /// <summary>Validation advanced.</summary>
    /// <param name="done">Validation batches done.</param>
    /// <param name="total">Validation batches in all.</param>
    void ValidationProgress(int done, int total);

    /// <summary>An epoch finished and was validated. <paramref name="state"/>'s tensors are valid during the call only:
    /// save what must outlive it (the checkpoint) here.</summary>
    void EpochCompleted(EpochRecord record, TrainingState state);
}
