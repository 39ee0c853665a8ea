using AlexNet.Facade;

namespace AlexNet.Train.Cli;

/// <summary>Passes progress through to another observer and reports each finished epoch to a callback.</summary>
internal sealed class EpochTracker(ITrainingObserver inner, Action<EpochRecord> onEpoch) : ITrainingObserver
{
    /// <inheritdoc/>
    public void EpochStarted(int epoch, int batches, float learningRate) => inner.EpochStarted(epoch, batches, learningRate);

    /// <inheritdoc/>
    public void BatchCompleted(BatchProgress progress) => inner.BatchCompleted(progress);

    /// <inheritdoc/>
    public void ValidationProgress(int done, int total) => inner.ValidationProgress(done, total);

    /// <inheritdoc/>
    public void EpochCompleted(EpochRecord record, TrainingState state)
    {
        onEpoch(record);
        inner.EpochCompleted(record, state);
    }
}
