using AlexNet.Facade;
using AlexNet.Facade.Visualization;
using AlexNet.Layers;

namespace AlexNet.Train.Reporting;

/// <summary>
/// Keeps a run's output folder up to date after every epoch: <c>last.ckpt</c> (everything needed to resume, written
/// atomically), <c>best.ckpt</c> (the first epoch with the lowest validation error: a later tie does not replace it),
/// <c>metrics.jsonl</c> and <c>metrics.csv</c>, <c>loss.png</c> and <c>error.png</c>, and <c>conv1.png</c> (the first
/// layer's kernels by tower). Progress goes to the wrapped observer.
/// </summary>
/// <remarks>A new best is written before <c>last.ckpt</c>, so a run killed at any moment leaves a <c>best.ckpt</c>
/// whenever it leaves a <c>last.ckpt</c>; each file is replaced only when its successor is complete.</remarks>
internal sealed class RunRecorder(string folder, Network network, TrainingOptions options, DatasetStatistics statistics,
                                  IReadOnlyList<string> classNames, IReadOnlyDictionary<string, string> metadata, ITrainingObserver progress) : ITrainingObserver
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
        var run = new TrainingRun(network, state, options, statistics, classNames, metadata);
        if (IsNewBest(state.History, record)) TrainingCheckpoint.Save(BestCheckpoint(folder), run);
        TrainingCheckpoint.Save(LastCheckpoint(folder), run);
        MetricsLog.Write(folder, state.History);
        CurvePlots.Write(folder, state.History);
        var first = network.ParameterSpecs.FirstOrDefault(s => s.Shape.Rank == 4);
        if (first is not null && first.Shape[1] is 1 or 3)
            FilterGrid.SavePng(state.Parameters[first.Name], TowerCount(network), Path.Combine(folder, "conv1.png"));
        progress.EpochCompleted(record, state);
    }

    /// <summary>True when <paramref name="record"/> has a strictly lower validation error than every earlier epoch (the
    /// schedule's notion of a new best).</summary>
    public static bool IsNewBest(IReadOnlyList<EpochRecord> history, EpochRecord record) =>
        history.Where(h => h.Epoch < record.Epoch).All(h => record.ValidationTop1Error < h.ValidationTop1Error);

    /// <summary>The tower count of the network's first block (1 without towers).</summary>
    public static int TowerCount(Network network) => network.TowerBlocks.FirstOrDefault()?.Count ?? 1;
}
