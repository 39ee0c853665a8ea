using System.Runtime.CompilerServices;
using AlexNet.Autograd;
using AlexNet.Facade;
using AlexNet.Facade.Pipeline;
using SkiaSharp;
using Xunit;

namespace AlexNet.Tests.Facade;

/// <summary>Image store tests; alone in their collection so the memory measurement sees no other test's allocations.</summary>
[Collection(nameof(ImageStoreTests))]
[CollectionDefinition(nameof(ImageStoreTests), DisableParallelization = true)]
public sealed class ImageStoreTests
{
    /// <summary>Two classes of PNG and JPEG images of several shapes, and one file that does not decode.</summary>
    internal static TempDirectory MakeTree()
    {
        var dir = new TempDirectory();
        TestImages.Write(dir.Path, "src/cat/a.png", TestImages.Noise(20, 12, 1, SKEncodedImageFormat.Png));
        TestImages.Write(dir.Path, "src/cat/b.jpg", TestImages.Noise(9, 14, 2, SKEncodedImageFormat.Jpeg));
        TestImages.Write(dir.Path, "src/cat/c.JPEG", TestImages.Noise(64, 48, 3, SKEncodedImageFormat.Jpeg));
        TestImages.Write(dir.Path, "src/dog/d.png", TestImages.Noise(8, 8, 4, SKEncodedImageFormat.Png));
        TestImages.Write(dir.Path, "src/dog/broken.jpg", [0xFF, 0xD8, 1, 2, 3]);
        TestImages.Write(dir.Path, "src/dog/e.png", TestImages.Noise(30, 31, 5, SKEncodedImageFormat.Png));
        TestImages.Write(dir.Path, "src/dog/notes.txt", [1, 2, 3]);
        return dir;
    }

    [Fact]
    public void PreparedRecordsEqualTheDecoderOutputWithLabelsClassesAndSources()
    {
        using var dir = MakeTree();
        var done = new List<(int, int)>();
        var result = ImageStore.Prepare(dir.File("src"), dir.File("train.store"), size: 8, threads: 2, progress: (d, t) => done.Add((d, t)));
        Assert.Equal(5, result.Count);
        Assert.Equal((6, 6), done[^1]);
        Assert.Equal(["dog/broken.jpg"], result.Skipped.Select(s => s.Path));

        using var store = ImageStore.Open(dir.File("train.store"));
        Assert.Equal((5, 3, 8, 8), (store.Count, store.Channels, store.Height, store.Width));
        Assert.Equal(["cat", "dog"], store.ClassNames);
        string[] names = ["cat/a.png", "cat/b.jpg", "cat/c.JPEG", "dog/d.png", "dog/e.png"];
        Assert.Equal(names, Enumerable.Range(0, 5).Select(store.SourceName));
        Assert.Equal([0, 0, 0, 1, 1], Enumerable.Range(0, 5).Select(store.Label));
        Assert.Equal(result.Skipped, store.Skipped);
        var image = new byte[3 * 64];
        for (int i = 0; i < 5; i++)
        {
            store.ReadImage(i, image);
            Assert.Equal(ImageDecoder.DecodeSquare(dir.File("src/" + names[i]), 8), image);
        }
    }

    [Fact]
    public void PrepareIsDeterministicWhateverTheThreadCount()
    {
        using var dir = MakeTree();
        ImageStore.Prepare(dir.File("src"), dir.File("one.store"), size: 8, threads: 1);
        ImageStore.Prepare(dir.File("src"), dir.File("three.store"), size: 8, threads: 3);
        Assert.Equal(File.ReadAllBytes(dir.File("one.store")), File.ReadAllBytes(dir.File("three.store")));
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length); // no temporary file left
    }

    [Fact]
    public void TrainingBatchesFromAStoreEqualThoseFromTheSamePixelsInMemory()
    {
        using var dir = MakeTree();
        ImageStore.Prepare(dir.File("src"), dir.File("train.store"), size: 8);
        using var store = ImageStore.Open(dir.File("train.store"));
        var pixels = new byte[store.Count * 192];
        for (int i = 0; i < store.Count; i++) store.ReadImage(i, pixels.AsSpan(i * 192, 192));
        var memory = new InMemoryImageDataset(pixels, [.. Enumerable.Range(0, store.Count).Select(store.Label)], 3, 8, 8, store.ClassNames);
        var statistics = DatasetStatistics.Compute(store);
        var options = new AugmentationOptions { CropSize = 6, Padding = 1, PcaStandardDeviation = 0.1f };
        var transform = new ImageTransform(options, 3, 8, 8, statistics);
        var key = RandomKey.FromSeed(7);
        var batches = EpochPlan.Batches(EpochPlan.Permutation(store.Count, key.Fold(1)), 2, dropLast: false);
        for (int b = 0; b < batches.Length; b++)
        {
            var fromStore = BatchBuilder.Training(new ImageExamples(store, transform), batches[b], b, 2, key.Fold(2));
            var fromMemory = BatchBuilder.Training(new ImageExamples(memory, transform), batches[b], b, 2, key.Fold(2));
            Assert.Equal(fromMemory.Examples, fromStore.Examples);
            Assert.Equal(fromMemory.Labels, fromStore.Labels);
        }
    }

    [Fact]
    public void AnEpochOverAStoreLargerThanTheBoundKeepsMemoryFlat()
    {
        using var dir = new TempDirectory();
        const int count = 2000, side = 64, size = 3 * side * side;
        using (var writer = new ImageStoreWriter(dir.File("big.store"), 3, side, side, ["a", "b"]))
        {
            var random = new Random(3);
            var image = new byte[size];
            for (int i = 0; i < count; i++)
            {
                random.NextBytes(image);
                writer.Add(image, i % 2, $"img{i}.png");
            }
            writer.Commit();
        }
        Assert.True(new FileInfo(dir.File("big.store")).Length > 24_000_000);
        using var store = ImageStore.Open(dir.File("big.store"));
        var transform = new ImageTransform(new AugmentationOptions { CropSize = 56, Mean = MeanSubtraction.None }, 3, side, side, null);
        var key = RandomKey.FromSeed(1);
        var batches = EpochPlan.Batches(EpochPlan.Permutation(count, key), 100, dropLast: true);
        var examples = new ImageExamples(store, transform);
        LabelSum(examples, batches[0], 0, key);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long checksum = 0;
        for (int b = 0; b < batches.Length; b++) checksum += LabelSum(examples, batches[b], b, key);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(count / 2, checksum);
        Assert.True(after - before < 2_000_000, $"memory grew by {after - before} bytes over an epoch of a {count * size}-byte store");
    }

    /// <summary>Builds a batch and keeps only its label sum; a call of its own, so no batch outlives it in a stack slot of
    /// the caller (unoptimised builds keep temporaries alive to the end of the method).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LabelSum(IDataset examples, int[] indices, int batchIndex, RandomKey key) =>
        BatchBuilder.Training(examples, indices, batchIndex, 100, key).Labels.Sum();

    [Fact]
    public void SubsetIsAViewInTheGivenOrder()
    {
        var pixels = Enumerable.Range(0, 4 * 2).Select(i => (byte)i).ToArray();
        var set = new InMemoryImageDataset(pixels, [0, 1, 0, 1], 1, 1, 2, ["x", "y"]);
        var view = new ImageDatasetSubset(set, [3, 0]);
        Assert.Equal((2, 1, 1, 2), (view.Count, view.Channels, view.Height, view.Width));
        Assert.Equal([1, 0], new[] { view.Label(0), view.Label(1) });
        var image = new byte[2];
        view.ReadImage(0, image);
        Assert.Equal([6, 7], image);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.ReadImage(2, image));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDatasetSubset(set, [4]));
    }
}
