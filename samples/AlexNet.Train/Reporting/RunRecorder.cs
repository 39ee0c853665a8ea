using AlexNet.Facade.Data;
using AlexNet.Facade.Training;
using AlexNet.Facade.Visualization;
using AlexNet.Layers;

namespace AlexNet.Train.Reporting;

/// <summary>
/// Keeps a run's output folder up to date after every epoch: <c>last.ckpt</c> (everything needed to resume, written
/// atomically), <c>best.ckpt</c> (the lowest validation error so far), <c>metrics.jsonl</c> and <c>metrics.csv</c>,
/// <c>loss.png</c> and <c>error.png</c>, and <c>conv1.png</c> (the first layer's kernels by tower). Progress goes to
/// the wrapped observer.
/// </summary>
internal sealed class RunRecorder(string folder, Network network, TrainingOptions options, DatasetStatistics statistics,
                                  IReadOnlyList<string> classNames, ITrainingObserver progress) : ITrainingObserver
{
    /// <summary>The file a run resumes from.</summary>
    public static string LastCheckpoint(string folder) => Path.Combine(folder, "last.ckpt");

    /// <summary>The checkpoint of the epoch with the lowest validation top-1 error.</summary>
    public static string BestCheckpoint(string folder) => Path.Combine(folder, "best.ckpt");

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int batches, float learningRate) => progress.EpochStarted(epoch, batches, learningRate);

    /// <inheritdoc/>
    public void BatchCompleted(BatchProgress p) => progress.BatchCompleted(p);

    /// <inheritdoc/>
    public void ValidationProgress(int done, int total) => progress.ValidationProgress(done, total);

    /// <inheritdoc/>
    public void EpochCompleted(EpochRecord record, TrainingState state)
    {
        var run = new TrainingRun(network, state, options, statistics, classNames);
        TrainingCheckpoint.Save(LastCheckpoint(folder), run);
        if (state.History.Min(h => h.ValidationTop1Error) == record.ValidationTop1Error)
            TrainingCheckpoint.Save(BestCheckpoint(folder), run);
        MetricsLog.Write(folder, state.History);
        CurvePlots.Write(folder, state.History);
        var first = network.ParameterSpecs.FirstOrDefault(s => s.Shape.Rank == 4);
        if (first is not null && first.Shape[1] is 1 or 3)
            FilterGrid.SavePng(state.Parameters[first.Name], TowerCount(network), Path.Combine(folder, "conv1.png"));
        progress.EpochCompleted(record, state);
    }

    /// <summary>The tower count of the network's first block (1 without towers).</summary>
    public static int TowerCount(Network network) => network.TowerBlocks.FirstOrDefault()?.Count ?? 1;
}
