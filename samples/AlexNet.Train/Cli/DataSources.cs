using AlexNet.Facade.Augmentation;
using AlexNet.Facade.Data;
using AlexNet.Facade.Pipeline;
using AlexNet.Facade.Training;

namespace AlexNet.Train.Cli;

/// <summary>Opens what <c>--data</c> names: <c>fashion-mnist</c>, or a folder with <c>train/</c> and <c>val/</c>
/// (optionally <c>test/</c>) sub-folders of <c>&lt;class&gt;/*.jpg|png</c>.</summary>
internal static class DataSources
{
    /// <summary>The name that selects Fashion-MNIST.</summary>
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>Fashion-MNIST's augmentation: reflections, mean image, no PCA (one channel: the colour PCA would only
    /// change brightness), and no pad-and-crop shifts (within a 30-minute budget they cost accuracy; <c>--padding 2</c>
    /// turns them on).</summary>
    public static AugmentationOptions FashionAugmentation { get; } = new() { CropSize = FashionMnist.Size, Padding = 0 };

    /// <summary>Opens the data for training.</summary>
    /// <param name="data"><c>fashion-mnist</c> or a folder.</param>
    /// <param name="fashionDirectory">Where the Fashion-MNIST files are.</param>
    /// <param name="validationCount">Fashion-MNIST images held out of the training files for validation (0: validate
    /// on the test set, which then is not held out).</param>
    /// <param name="seed">Seed of the hold-out split.</param>
    /// <param name="threads">Decoding threads for folders.</param>
    /// <exception cref="CliException">The data is missing or unusable.</exception>
    public static DataSet Open(string data, string fashionDirectory, int validationCount, long seed, int threads)
    {
        if (data == FashionMnistName)
        {
            FashionMnistInstaller.Ensure(fashionDirectory);
            var (train, test) = FashionMnist.Load(fashionDirectory);
            if (validationCount < 0 || validationCount >= train.Count)
                throw new CliException($"--validation must be in [0, {train.Count}), got {validationCount}.", 2);
            if (validationCount == 0)
                return new DataSet(data, train, test, test, FashionAugmentation, ModelPresets.Fashion,
                                   "validating on the test set (--validation 0): the test accuracy is not held out");
            var order = EpochPlan.Permutation(train.Count, RandomKeys.Root(seed).Fold(3));
            var validation = train.Subset(order[^validationCount..]);
            var rest = train.Subset(order[..^validationCount]);
            return new DataSet(data, rest, validation, test, FashionAugmentation, ModelPresets.Fashion,
                               $"{validationCount} training images held out for validation");
        }
        if (!Directory.Exists(data))
            throw new CliException($"--data '{data}' is neither '{FashionMnistName}' nor an existing folder.", 2);
        var trainDir = Path.Combine(data, "train");
        var valDir = Path.Combine(data, "val");
        if (!Directory.Exists(trainDir) || !Directory.Exists(valDir))
            throw new CliException($"Folder '{data}' must hold train/ and val/ sub-folders of <class>/*.jpg|png.");
        var trainSet = ImageFolderDataset.Open(trainDir, 256, threads: threads);
        var valSet = ImageFolderDataset.Open(valDir, 256, trainSet.ClassNames, threads: threads);
        var testDir = Path.Combine(data, "test");
        var testSet = Directory.Exists(testDir) ? ImageFolderDataset.Open(testDir, 256, trainSet.ClassNames, threads: threads) : null;
        int skipped = trainSet.Skipped.Count + valSet.Skipped.Count + (testSet?.Skipped.Count ?? 0);
        return new DataSet(data, trainSet, valSet, testSet, AugmentationOptions.Paper, ModelPresets.Paper,
                           skipped > 0 ? $"{skipped} undecodable files skipped, e.g. {(trainSet.Skipped.Concat(valSet.Skipped).FirstOrDefault() ?? testSet!.Skipped[0]).Path}" : null);
    }

    /// <summary>Keeps only the first <paramref name="count"/> training images (0 keeps all).</summary>
    /// <exception cref="CliException">The count is negative.</exception>
    public static DataSet Limit(DataSet set, int count)
    {
        if (count < 0) throw new CliException($"--limit must be ≥ 0, got {count}.", 2);
        if (count == 0 || count >= set.Train.Count) return set;
        var subset = set.Train is InMemoryImageDataset memory
            ? memory.Subset([.. Enumerable.Range(0, count)])
            : throw new CliException("--limit works with Fashion-MNIST only.", 2);
        return set with { Train = subset, Note = $"{set.Note}; only the first {count} training images" };
    }

    /// <summary>Opens one split for evaluation: <c>test</c> or <c>train</c> (the whole training files or folder).</summary>
    /// <exception cref="CliException">The data or the split is missing.</exception>
    public static IImageDataset OpenSplit(string data, string fashionDirectory, string split, IReadOnlyList<string> classNames, int threads)
    {
        if (split is not ("test" or "train" or "val"))
            throw new CliException($"--split must be test, val or train, got '{split}'.", 2);
        if (data == FashionMnistName)
        {
            if (split == "val") throw new CliException("Fashion-MNIST has no separate validation files; use --split test or train.", 2);
            FashionMnistInstaller.Ensure(fashionDirectory);
            var (train, test) = FashionMnist.Load(fashionDirectory);
            return split == "test" ? test : train;
        }
        var folder = Path.Combine(data, split);
        if (!Directory.Exists(folder)) throw new CliException($"'{folder}' does not exist.");
        return ImageFolderDataset.Open(folder, 256, classNames, threads: threads);
    }

    /// <summary>Opens a folder of prepared stores (<c>alexnet prepare</c>): <c>train.store</c>, and <c>val.store</c> and
    /// <c>test.store</c> when present. The stores stream from disk and stay open for the life of the process.</summary>
    /// <param name="folder">The folder <c>alexnet prepare -o</c> wrote.</param>
    /// <param name="validationCount">Without <c>val.store</c>: training images held out for validation by the seeded
    /// permutation the Fashion-MNIST split uses (the last <paramref name="validationCount"/> of it).</param>
    /// <param name="seed">Seed of the hold-out split.</param>
    /// <exception cref="CliException">There is no <c>train.store</c>, a split's classes or image size differ from the
    /// training store's, or the hold-out count is out of range.</exception>
    /// <exception cref="InvalidDataException">A store file is damaged.</exception>
    public static (IImageDataset Train, IImageDataset Validation, IImageDataset? Test) OpenStore(string folder, int validationCount, long seed)
    {
        var trainPath = PrepareCommand.StorePath(folder, "train");
        if (!File.Exists(trainPath))
            throw new CliException($"'{folder}' holds no train.store; create it with: alexnet prepare --data <image folder> -o {folder}");
        var train = ImageStore.Open(trainPath);
        try
        {
            var test = OpenMatchingStore(folder, "test", train);
            var validation = OpenMatchingStore(folder, "val", train);
            if (validation is not null) return (train, validation, test);
            if (validationCount < 1 || validationCount >= train.Count)
                throw new CliException($"'{folder}' has no val.store, so --validation must be in [1, {train.Count}) to hold images out of train.store, got {validationCount}.", 2);
            var order = EpochPlan.Permutation(train.Count, RandomKeys.Root(seed).Fold(3));
            return (new ImageDatasetSubset(train, order[..^validationCount]), new ImageDatasetSubset(train, order[^validationCount..]), test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Opens <c>&lt;split&gt;.store</c> when present and checks it has the training store's classes and size.</summary>
    private static ImageStore? OpenMatchingStore(string folder, string split, ImageStore train)
    {
        var path = PrepareCommand.StorePath(folder, split);
        if (!File.Exists(path)) return null;
        var store = ImageStore.Open(path);
        if (!store.ClassNames.SequenceEqual(train.ClassNames, StringComparer.Ordinal)
            || (store.Channels, store.Height, store.Width) != (train.Channels, train.Height, train.Width))
        {
            store.Dispose();
            throw new CliException($"'{path}' has {store.ClassNames.Count} classes of {store.Channels}×{store.Height}×{store.Width} images but train.store has "
                                 + $"{train.ClassNames.Count} of {train.Channels}×{train.Height}×{train.Width}; prepare all splits together with alexnet prepare.");
        }
        return store;
    }
}
