using AlexNet.Autograd;
using AlexNet.Facade;

namespace AlexNet.Facade.Pipeline;

/// <summary>Reads and transforms the images of one batch (called on the prefetch workers).</summary>
public static class BatchBuilder
{
    /// <summary>
    /// A training batch: image i of the batch is rendered with the random view drawn from
    /// <c>epochKey.Fold(batchIndex · batchSize + firstPosition + i)</c>, so every image of an epoch has its own key and the
    /// batch is a pure function of (data, indices, key).
    /// </summary>
    /// <param name="dataset">The images.</param>
    /// <param name="transform">The augmentation.</param>
    /// <param name="indices">The images of this batch (or of this rank's share of it).</param>
    /// <param name="batchIndex">Position of the batch in its epoch.</param>
    /// <param name="batchSize">Images per (whole) batch.</param>
    /// <param name="epochKey">The epoch's augmentation key.</param>
    /// <param name="firstPosition">Position of <paramref name="indices"/>[0] in the whole batch: a data-parallel rank
    /// renders its share of a batch exactly as one process rendering the whole batch would.</param>
    public static Batch Training(IImageDataset dataset, ImageTransform transform, int[] indices, int batchIndex, int batchSize, RandomKey epochKey,
                                 int firstPosition = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(indices);
        var images = new float[indices.Length * transform.OutputLength];
        var labels = new int[indices.Length];
        var pixels = new byte[transform.InputLength];
        for (int i = 0; i < indices.Length; i++)
        {
            dataset.ReadImage(indices[i], pixels);
            labels[i] = dataset.Label(indices[i]);
            var key = epochKey.Fold((ulong)((long)batchIndex * batchSize + firstPosition + i));
            transform.RenderTraining(pixels, key, images.AsSpan(i * transform.OutputLength, transform.OutputLength));
        }
        return new Batch(batchIndex, images, labels, 1, transform.Channels, transform.CropSize);
    }

    /// <summary>An evaluation batch: every image rendered in each of <paramref name="views"/> (no randomness).</summary>
    public static Batch Evaluation(IImageDataset dataset, ImageTransform transform, int[] indices, int batchIndex, IReadOnlyList<CropWindow> views)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(views);
        int n = transform.OutputLength;
        var images = new float[indices.Length * views.Count * n];
        var labels = new int[indices.Length];
        var pixels = new byte[transform.InputLength];
        for (int i = 0; i < indices.Length; i++)
        {
            dataset.ReadImage(indices[i], pixels);
            labels[i] = dataset.Label(indices[i]);
            for (int v = 0; v < views.Count; v++)
                transform.Render(pixels, views[v], images.AsSpan((i * views.Count + v) * n, n));
        }
        return new Batch(batchIndex, images, labels, views.Count, transform.Channels, transform.CropSize);
    }
}
