using AlexNet.Autograd;
using AlexNet.Facade;
using AlexNet.Facade.Pipeline;

namespace AlexNet.Bench;

/// <summary>
/// The whole input path in images/s: read, random crop, flip, PCA colour shift, mean-image subtraction and batch assembly
/// (<see cref="BatchBuilder.Training"/>), batches of 128, with one thread and with all cores working on whole batches.
/// Beside the streaming store: the same images in memory (<see cref="InMemoryImageDataset"/>) with the row path, and in
/// memory with the per-pixel render (the path before the image store).
/// </summary>
internal static class LoaderBench
{
    private const int BatchSize = 128;

    /// <summary>Runs the loader measurements on the stores <see cref="PrepareBench"/> leaves.</summary>
    public static void Run(int repeats)
    {
        var paper = AugmentationOptions.Paper;
        Measure(Path.Combine(PrepareBench.WorkFolder, "cifar-test-256.store"), paper, memoryImages: 2048, batches: 16, repeats);
        Measure(Path.Combine(PrepareBench.WorkFolder, "cifar-train-32.store"), paper with { CropSize = 28 }, memoryImages: 50_000, batches: 64, repeats);
        Measure(Path.Combine(PrepareBench.WorkFolder, "cifar-train-32.store"), paper with { CropSize = 32, Padding = 4 }, memoryImages: 50_000, batches: 64, repeats);
    }

    private static void Measure(string path, AugmentationOptions options, int memoryImages, int batches, int repeats)
    {
        if (!File.Exists(path))
        {
            Console.WriteLine($"  ({path} is missing; run the prepare part first)");
            return;
        }
        using var store = ImageStore.Open(path);
        int n = Math.Min(memoryImages, store.Count);
        var statistics = DatasetStatistics.Compute(new ImageDatasetSubset(store, [.. Enumerable.Range(0, Math.Min(store.Count, 2048))]));
        var transform = new ImageTransform(options, store.Channels, store.Height, store.Width, statistics);
        var pixels = new byte[(long)n * transform.InputLength];
        for (int i = 0; i < n; i++) store.ReadImage(i, pixels.AsSpan(i * transform.InputLength, transform.InputLength));
        var memory = new InMemoryImageDataset(pixels, [.. Enumerable.Range(0, n).Select(store.Label)], store.Channels, store.Height, store.Width, store.ClassNames);
        var key = RandomKey.FromSeed(1);
        var plan = EpochPlan.Batches(EpochPlan.Permutation(n, key.Fold(1)), BatchSize, dropLast: true).Take(batches).ToArray();
        Console.WriteLine($"loader: {store.Count:N0}-image {store.Channels}×{store.Height}×{store.Width} store → {transform.CropSize}×{transform.CropSize} crops"
                        + $" (padding {options.Padding}, flip, PCA, mean image), {plan.Length} batches of {BatchSize} drawn from the first {n:N0} images");
        foreach (int threads in new[] { 1, Environment.ProcessorCount })
        {
            Row("store, row path (BatchBuilder.Training)", threads, repeats, plan, (b, i) => BatchBuilder.Training(new ImageExamples(store, transform), b, i, BatchSize, key));
            Row("in memory, row path", threads, repeats, plan, (b, i) => BatchBuilder.Training(new ImageExamples(memory, transform), b, i, BatchSize, key));
            Row("in memory, per-pixel render (previous path)", threads, repeats, plan, (b, i) => PerPixelBatch(memory, transform, b, i, key));
        }
        Console.WriteLine();
    }

    private static void Row(string what, int threads, int repeats, int[][] plan, Func<int[], int, Batch> build)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var (wallMs, cpuMs) = Timing.Best(() => Parallel.For(0, plan.Length, options, b => GC.KeepAlive(build(plan[b], b))), repeats);
        double images = plan.Length * BatchSize, rate = images / (wallMs / 1000);
        Console.WriteLine($"  {what,-45} {threads} thread(s): {rate,8:N0} images/s, {rate / threads,7:N0} per thread; {images / (cpuMs / 1000),8:N0} images per CPU second");
    }

    /// <summary><see cref="BatchBuilder.Training"/> with the per-pixel render, as batches were built before the row path.</summary>
    private static Batch PerPixelBatch(IImageDataset dataset, ImageTransform transform, int[] indices, int batchIndex, RandomKey epochKey)
    {
        var images = new float[indices.Length * transform.OutputLength];
        var labels = new int[indices.Length];
        var pixels = new byte[transform.InputLength];
        for (int i = 0; i < indices.Length; i++)
        {
            dataset.ReadImage(indices[i], pixels);
            labels[i] = dataset.Label(indices[i]);
            var view = transform.Draw(epochKey.Fold((ulong)((long)batchIndex * BatchSize + i)));
            transform.RenderPerPixel(pixels, view, images.AsSpan(i * transform.OutputLength, transform.OutputLength));
        }
        return new Batch(batchIndex, images, labels, 1, new Shape(transform.Channels, transform.CropSize, transform.CropSize));
    }
}
