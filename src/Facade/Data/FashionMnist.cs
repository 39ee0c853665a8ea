namespace AlexNet.Facade;

/// <summary>
/// Fashion-MNIST (Zalando): 60,000 training and 10,000 test images, 28×28 grey, 10 classes, in the four IDX files that
/// the Debian package <c>dataset-fashion-mnist</c> installs in <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The Debian package that provides the files.</summary>
    public const string DebianPackage = "dataset-fashion-mnist";

    /// <summary>Image side in pixels.</summary>
    public const int Size = 28;

    /// <summary>The ten class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The file base names (without <c>.gz</c>) of training images, training labels, test images, test labels.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>True when all four files exist in <paramref name="directory"/> (gzip-compressed or raw).</summary>
    public static bool IsPresent(string directory = DefaultDirectory) => FileNames.All(n => Resolve(directory, n) is not null);

    /// <summary>Loads the training and test sets.</summary>
    /// <param name="directory">The folder holding the four files, each either <c>name.gz</c> or <c>name</c>.</param>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to install the package.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the image size is not 28×28, image and label counts
    /// differ, or a label is outside [0, 10).</exception>
    public static (InMemoryImageDataset Train, InMemoryImageDataset Test) Load(string directory = DefaultDirectory) =>
        (LoadPair(directory, FileNames[0], FileNames[1]), LoadPair(directory, FileNames[2], FileNames[3]));

    /// <summary>Loads one images/labels pair of IDX files as a data set of 28×28 grey images.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">See <see cref="Load"/>.</exception>
    public static InMemoryImageDataset LoadPair(string directory, string imagesName, string labelsName)
    {
        string imagesPath = Resolve(directory, imagesName) ?? throw Missing(directory, imagesName);
        string labelsPath = Resolve(directory, labelsName) ?? throw Missing(directory, labelsName);
        // Both headers are checked against each other and their files before any pixel is allocated.
        var imagesHeader = IdxFile.ReadHeader(imagesPath, IdxFile.ImageMagic);
        var labelsHeader = IdxFile.ReadHeader(labelsPath, IdxFile.LabelMagic);
        if (imagesHeader.Dimensions[1] != Size || imagesHeader.Dimensions[2] != Size)
            throw new InvalidDataException($"'{imagesPath}' holds {imagesHeader.Dimensions[1]}×{imagesHeader.Dimensions[2]} images; Fashion-MNIST images are {Size}×{Size}.");
        if (imagesHeader.Dimensions[0] != labelsHeader.Dimensions[0])
            throw new InvalidDataException($"'{imagesPath}' holds {imagesHeader.Dimensions[0]} images but '{labelsPath}' holds {labelsHeader.Dimensions[0]} labels.");
        var labels = IdxFile.Read(labelsHeader);
        var images = IdxFile.Read(imagesHeader);
        var classes = new int[labels.Data.Length];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = labels.Data[i];
            if (classes[i] >= ClassNames.Count)
                throw new InvalidDataException($"'{labelsPath}': label {classes[i]} of image {i} is outside [0, {ClassNames.Count}).");
        }
        return new InMemoryImageDataset(images.Data, classes, 1, Size, Size, ClassNames);
    }

    private static string? Resolve(string directory, string name)
    {
        var gz = Path.Combine(directory, name + ".gz");
        if (File.Exists(gz)) return gz;
        var raw = Path.Combine(directory, name);
        return File.Exists(raw) ? raw : null;
    }

    private static FileNotFoundException Missing(string directory, string name) => new(
        $"Fashion-MNIST file '{name}(.gz)' is not in '{directory}'. Install it with: apt-get update && apt-get install -y {DebianPackage}",
        Path.Combine(directory, name + ".gz"));
}
