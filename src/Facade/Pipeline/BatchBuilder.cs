using AlexNet.Autograd;

namespace AlexNet.Facade.Pipeline;

/// <summary>Reads the examples of one batch (called on the prefetch workers).</summary>
public static class BatchBuilder
{
    /// <summary>
    /// A training batch: example i of the batch is read with the augmentation key
    /// <c>epochKey.Fold(batchIndex · batchSize + firstPosition + i)</c>, so every example of an epoch has its own key and
    /// the batch is a pure function of (data, indices, key).
    /// </summary>
    /// <param name="dataset">The examples.</param>
    /// <param name="indices">The examples of this batch (or of this rank's share of it).</param>
    /// <param name="batchIndex">Position of the batch in its epoch.</param>
    /// <param name="batchSize">Examples per (whole) batch.</param>
    /// <param name="epochKey">The epoch's augmentation key.</param>
    /// <param name="firstPosition">Position of <paramref name="indices"/>[0] in the whole batch: a data-parallel rank
    /// reads its share of a batch exactly as one process reading the whole batch would.</param>
    public static Batch Training(IDataset dataset, int[] indices, int batchIndex, int batchSize, RandomKey epochKey, int firstPosition = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        int n = dataset.ExampleShape.Count;
        var examples = new float[indices.Length * n];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            labels[i] = LabelOf(dataset, indices[i]);
            var key = epochKey.Fold((ulong)((long)batchIndex * batchSize + firstPosition + i));
            dataset.ReadTraining(indices[i], key, examples.AsSpan(i * n, n));
        }
        return new Batch(batchIndex, examples, labels, 1, dataset.ExampleShape);
    }

    /// <summary>An evaluation batch: every example in each of the data set's <see cref="IDataset.Views"/> (no
    /// randomness).</summary>
    public static Batch Evaluation(IDataset dataset, int[] indices, int batchIndex)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        int views = dataset.Views;
        if (views < 1) throw new ArgumentException($"The data set declares {views} views per example; at least 1 is needed.", nameof(dataset));
        int n = dataset.ExampleShape.Count * views;
        var examples = new float[indices.Length * n];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            labels[i] = LabelOf(dataset, indices[i]);
            dataset.ReadViews(indices[i], examples.AsSpan(i * n, n));
        }
        return new Batch(batchIndex, examples, labels, views, dataset.ExampleShape);
    }

    /// <summary>The label of example <paramref name="index"/>, checked against the data set's classes (a custom data set
    /// that returns another number is named here, not deep inside the loss).</summary>
    private static int LabelOf(IDataset dataset, int index)
    {
        int label = dataset.Label(index);
        if ((uint)label >= (uint)dataset.ClassNames.Count)
            throw new InvalidDataException($"Example {index} of the {dataset.GetType().Name} has label {label}, outside its {dataset.ClassNames.Count} classes [0, {dataset.ClassNames.Count}).");
        return label;
    }
}
