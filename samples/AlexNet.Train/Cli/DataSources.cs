using AlexNet.Facade;
using AlexNet.Facade.Pipeline;

namespace AlexNet.Train.Cli;

/// <summary>Opens what <c>--data</c> names: <c>fashion-mnist</c>, a folder of stores made by <c>alexnet prepare</c>
/// (<c>train.store</c>, optionally <c>val.store</c> and <c>test.store</c>), or a folder with <c>train/</c> and
/// optionally <c>val/</c> and <c>test/</c> sub-folders of <c>&lt;class&gt;/*.jpg|png</c>.</summary>
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
    /// <param name="error">Where the Fashion-MNIST installer reports.</param>
    /// <exception cref="CliException">The data is missing or unusable.</exception>
    public static DataSet Open(string data, string fashionDirectory, int validationCount, long seed, int threads, TextWriter error)
    {
        if (data == FashionMnistName)
        {
            FashionMnistInstaller.Ensure(fashionDirectory, error);
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
        if (File.Exists(PrepareCommand.StorePath(data, "train")))
        {
            var (train, validation, test) = OpenStore(data, validationCount, seed);
            var (augmentation, preset) = FolderDefaults(train);
            string note = validation is ImageDatasetSubset ? $"prepared store, {validationCount} training images held out for validation" : "prepared store";
            return new DataSet(data, train, validation, test, augmentation, preset, note);
        }
        return OpenFolder(data, validationCount, seed, threads);
    }

    /// <summary>Largest decoded size of a folder trained without a prepared store (its images are held in memory).</summary>
    private const long InMemoryFolderLimit = 4L << 30;

    /// <summary>
    /// A folder of <c>train/</c> and optionally <c>val/</c> and <c>test/</c> image folders, decoded into memory at the
    /// images' own size when they are smaller than 256 (CIFAR's 32×32), else at the paper's 256. Without <c>val/</c>,
    /// <paramref name="validationCount"/> training images are held out for validation (a seeded permutation, as for
    /// Fashion-MNIST).
    /// </summary>
    private static DataSet OpenFolder(string data, int validationCount, long seed, int threads)
    {
        var trainDir = Path.Combine(data, "train");
        var valDir = Path.Combine(data, "val");
        var testDir = Path.Combine(data, "test");
        if (!Directory.Exists(trainDir))
            throw new CliException($"Folder '{data}' must hold a train/ sub-folder of <class>/*.jpg|png (and val/ or test/ beside it), or be a store made by 'alexnet prepare'.");
        int size = NativeSize(trainDir);
        long files = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).LongCount();
        if (files * 3 * size * size > InMemoryFolderLimit)
            throw new CliException($"'{data}' holds {files} files, about {files * 3L * size * size >> 30} GiB once decoded at {size}×{size}: too many to hold in memory. Prepare a streaming store first: alexnet prepare --data {data} -o <store folder>, then train with --data <store folder>.");
        var train = ImageFolderDataset.Open(trainDir, size, threads: threads);
        var test = Directory.Exists(testDir) ? ImageFolderDataset.Open(testDir, size, train.ClassNames, threads: threads) : null;
        IImageDataset trainSet = train, valSet;
        string? note;
        if (Directory.Exists(valDir))
        {
            var val = ImageFolderDataset.Open(valDir, size, train.ClassNames, threads: threads);
            valSet = val;
            note = SkippedNote(train, val, test);
        }
        else if (validationCount == 0)
        {
            valSet = test ?? throw new CliException($"Folder '{data}' has no val/ and no test/ to validate on; hold images out of train/ with --validation N.", 2);
            note = "validating on the test set (--validation 0): the test accuracy is not held out";
        }
        else
        {
            if (validationCount < 0 || validationCount >= train.Count)
                throw new CliException($"--validation must be in [0, {train.Count}), got {validationCount}.", 2);
            var order = EpochPlan.Permutation(train.Count, RandomKeys.Root(seed).Fold(3));
            valSet = new ImageDatasetSubset(train, order[^validationCount..]);
            trainSet = new ImageDatasetSubset(train, order[..^validationCount]);
            note = $"{validationCount} training images held out for validation (no val/ folder)";
            if (SkippedNote(train, null, test) is { } skipped) note += "; " + skipped;
        }
        var (augmentation, preset) = FolderDefaults(trainSet);
        return new DataSet(data, trainSet, valSet, test, augmentation, preset, note);
    }

    /// <summary>The preset and augmentation for a folder's images: the cifar preset on 28×28 crops for small colour
    /// photographs (shorter than 64 pixels), the paper's preset and recipe otherwise.</summary>
    public static (AugmentationOptions Augmentation, string Preset) FolderDefaults(IImageDataset train) =>
        IsSmallColour(train.Channels, train.Height)
            ? (AugmentationOptions.Paper with { CropSize = CifarCrop(train.Height) }, ModelPresets.Cifar)
            : (AugmentationOptions.Paper, ModelPresets.Paper);

    private static bool IsSmallColour(int channels, int height) => channels == 3 && height < 64;

    /// <summary>The preset <c>train</c> uses for <paramref name="data"/> without <c>--preset</c>, found without decoding
    /// the data (from a store's header or a folder's first image), so that options can be checked against it first.</summary>
    public static string DefaultPresetOf(string data)
    {
        if (data == FashionMnistName) return ModelPresets.Fashion;
        if (!Directory.Exists(data)) return ModelPresets.Paper;
        var store = PrepareCommand.StorePath(data, "train");
        if (File.Exists(store))
        {
            try
            {
                using var opened = ImageStore.Open(store);
                return IsSmallColour(opened.Channels, opened.Height) ? ModelPresets.Cifar : ModelPresets.Paper;
            }
            catch (InvalidDataException)
            {
                return ModelPresets.Paper; // opening the data reports the damage
            }
        }
        var train = Path.Combine(data, "train");
        return Directory.Exists(train) && IsSmallColour(3, NativeSize(train)) ? ModelPresets.Cifar : ModelPresets.Paper;
    }

    /// <summary>The crop of a small image in the paper's proportion (224 of 256): 28 of 32.</summary>
    private static int CifarCrop(int size) => Math.Max(1, (int)Math.Round(size * 224.0 / 256));

    /// <summary>The size a folder's images are decoded at: the first image's shorter side when below 256, else 256.</summary>
    private static int NativeSize(string trainDir)
    {
        var first = Directory.EnumerateDirectories(trainDir).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d).Order(StringComparer.Ordinal))
            .FirstOrDefault(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png");
        if (first is null) return 256;
        try
        {
            var (w, h) = ImageDecoder.Dimensions(first);
            return Math.Clamp(Math.Min(w, h), 1, 256);
        }
        catch (InvalidDataException)
        {
            return 256;
        }
    }

    private static string? SkippedNote(ImageFolderDataset train, ImageFolderDataset? val, ImageFolderDataset? test)
    {
        var skipped = train.Skipped.Concat(val?.Skipped ?? []).Concat(test?.Skipped ?? []).ToList();
        return skipped.Count > 0 ? $"{skipped.Count} undecodable files skipped, e.g. {skipped[0].Path}" : null;
    }

    /// <summary>Keeps only the first <paramref name="count"/> training images (0 keeps all).</summary>
    /// <exception cref="CliException">The count is negative.</exception>
    public static DataSet Limit(DataSet set, int count)
    {
        if (count < 0) throw new CliException($"--limit must be ≥ 0, got {count}.", 2);
        if (count == 0 || count >= set.Train.Count) return set;
        IImageDataset subset = set.Train is InMemoryImageDataset memory
            ? memory.Subset([.. Enumerable.Range(0, count)])
            : new ImageDatasetSubset(set.Train, [.. Enumerable.Range(0, count)]);
        return set with { Train = subset, Note = $"{set.Note}; only the first {count} training images" };
    }

    /// <summary>Opens one split for evaluation: <c>test</c> or <c>train</c> (the whole training files or folder), a folder's
    /// images decoded at <paramref name="size"/> (the checkpoint's).</summary>
    /// <exception cref="CliException">The data or the split is missing.</exception>
    public static IImageDataset OpenSplit(string data, string fashionDirectory, string split, IReadOnlyList<string> classNames, int size, int threads, TextWriter error)
    {
        if (split is not ("test" or "train" or "val"))
            throw new CliException($"--split must be test, val or train, got '{split}'.", 2);
        if (data == FashionMnistName)
        {
            if (split == "val") throw new CliException("Fashion-MNIST has no separate validation files; use --split test or train.", 2);
            FashionMnistInstaller.Ensure(fashionDirectory, error);
            var (train, test) = FashionMnist.Load(fashionDirectory);
            return split == "test" ? test : train;
        }
        var store = PrepareCommand.StorePath(data, split);
        if (File.Exists(store)) return ImageStore.Open(store);
        if (!Directory.Exists(data))
            throw new CliException($"--data '{data}' is neither '{FashionMnistName}' nor an existing folder.", 2);
        var folder = Path.Combine(data, split);
        if (!Directory.Exists(folder)) throw new CliException($"'{data}' has no {split}/ folder and no {split}.store to evaluate on.");
        return ImageFolderDataset.Open(folder, size, classNames, threads: threads);
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
