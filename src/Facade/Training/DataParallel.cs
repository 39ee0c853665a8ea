using System.Runtime.InteropServices;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Distributed;
using AlexNet.Facade;

namespace AlexNet.Facade;

/// <summary>
/// How the trainer splits its work over the ranks of a communicator: each rank takes a contiguous share of every
/// batch and of the validation set, and the ranks check at the start that they were set up alike.
/// </summary>
internal static class DataParallel
{
    /// <summary>The start and length of rank <paramref name="rank"/>'s contiguous share of <paramref name="count"/> items
    /// over <paramref name="size"/> ranks (shares differ by at most one item; the first ranks take the larger ones).</summary>
    public static (int Start, int Length) Share(int count, int rank, int size)
    {
        int start = (int)((long)count * rank / size);
        int end = (int)((long)count * (rank + 1) / size);
        return (start, end - start);
    }

    /// <summary>This rank's slice of a batch's indices (contiguous, so the ranks' slices in rank order are the batch).</summary>
    public static int[] Slice(int[] batch, int rank, int size)
    {
        var (start, length) = Share(batch.Length, rank, size);
        return batch.AsSpan(start, length).ToArray();
    }

    /// <summary>This rank's contiguous share of a data set (for validation).</summary>
    public static IDataset ShareOf(IDataset dataset, int rank, int size)
    {
        var (start, length) = Share(dataset.Count, rank, size);
        return new DatasetSubset(dataset, Enumerable.Range(start, length).ToArray());
    }

    /// <summary>Evaluates this rank's share of <paramref name="dataset"/> and combines the ranks' results into the
    /// result over the whole set (sums of losses and of wrong answers, divided by the whole count).</summary>
    public static EvaluationResult Evaluate(ICommunicator communicator, ModelFunction model, TensorMap parameters, IDataset dataset,
                                            int batchSize, IBackend backend, Action<int, int>? progress, int workers)
    {
        var share = ShareOf(dataset, communicator.Rank, communicator.Size);
        var local = Evaluator.Evaluate(model, parameters, share, batchSize, backend, progress, workers);
        Span<double> sums = [local.Loss * local.Count, Math.Round(local.Top1Error * local.Count), Math.Round(local.Top5Error * local.Count), local.Count, local.NonFiniteCount];
        communicator.AllReduceSum(sums);
        return new EvaluationResult((int)sums[3], sums[0] / sums[3], sums[1] / sums[3], sums[2] / sums[3], (int)sums[4]);
    }

    /// <summary>
    /// A hash of everything that must be equal on every rank: the network's parameter names and shapes, the options
    /// (but not the threads preparing batches), the data's size, example shape, views, classes, a sample of labels and
    /// of examples as evaluation reads them (which shows the preprocessing), and the starting point (epochs done, root
    /// key).
    /// </summary>
    public static ulong Fingerprint(TensorMap parameters, IDataset train, IDataset? validation, TrainingOptions options, TrainingState start)
    {
        var f = new Fingerprint();
        foreach (var (name, t) in parameters) f.Add(name).Add(t.Shape.ToString());
        f.Add((options with { Workers = 1, PrefetchDepth = 1 }).ToString());
        f.Add(start.EpochsDone).Add((long)start.Key.State);
        f.Add(validation is null ? 0 : 1);
        foreach (var set in validation is null ? [train] : new[] { train, validation })
        {
            f.Add(set.Count).Add(set.ExampleShape.ToString()).Add(set.Views);
            foreach (var c in set.ClassNames) f.Add(c);
            int step = Math.Max(1, set.Count / 4096);
            for (int i = 0; i < set.Count; i += step) f.Add(set.Label(i));
            var example = new float[set.ExampleShape.Count];
            int exampleStep = Math.Max(1, set.Count / 8);
            for (int i = 0; i < set.Count; i += exampleStep)
            {
                set.Read(i, example);
                f.Add(MemoryMarshal.AsBytes(example.AsSpan()));
            }
        }
        return f.Value;
    }
}
