namespace AlexNet.Facade;

/// <summary>
/// Images in a folder tree <c>root/&lt;class&gt;/*.jpg|jpeg|png</c>, class names taken from the sub-folder names (sorted
/// ordinally), each image scaled so its shorter side is <see cref="Height"/> and centre-cropped to a square, as the
/// paper prepares ImageNet.
/// </summary>
/// <remarks>
/// <see cref="Open"/> decodes every file once, in parallel. A file that does not decode (not an image, truncated, empty)
/// is skipped and listed in <see cref="Skipped"/>; opening fails when a class is left without images. With
/// <c>cacheInMemory</c> the decoded bytes are kept (3·size² bytes per image); without it each read decodes the file
/// again, and a file that became unreadable after opening throws <see cref="InvalidDataException"/> then.
/// </remarks>
public sealed class ImageFolderDataset : IImageDataset
{
    private readonly string[] _files;
    private readonly int[] _labels;
    private readonly byte[]?[]? _cache;

    private ImageFolderDataset(string root, string[] files, int[] labels, byte[]?[]? cache, int size,
                               IReadOnlyList<string> classNames, IReadOnlyList<SkippedImage> skipped)
    {
        Root = root;
        _files = files;
        _labels = labels;
        _cache = cache;
        Height = Width = size;
        ClassNames = classNames;
        Skipped = skipped;
    }

    /// <summary>Scans and decodes a folder tree.</summary>
    /// <param name="root">The folder whose sub-folders are the classes.</param>
    /// <param name="size">Side of the square images (256 in the paper).</param>
    /// <param name="classNames">The class list to use (for a validation folder, the training set's classes, so labels
    /// agree; its class folders must be exactly these); null takes the sub-folder names.</param>
    /// <param name="cacheInMemory">Keep the decoded images in memory.</param>
    /// <param name="threads">Decoding threads; 0 for one per core.</param>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">The folders fail <see cref="ImageFolderListing.Scan"/>'s checks (no class
    /// folder or only one, an empty class folder, class folders that differ from <paramref name="classNames"/>), or no
    /// image of some class decodes.</exception>
    public static ImageFolderDataset Open(string root, int size = 256, IReadOnlyList<string>? classNames = null,
                                          bool cacheInMemory = true, int threads = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var listing = ImageFolderListing.Scan(root, classNames);
        var classes = listing.ClassNames;
        var candidates = listing.Files.Zip(listing.Labels, (f, l) => (File: f, Label: l)).ToList();

        var decoded = new byte[]?[candidates.Count];
        var errors = new string?[candidates.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, candidates.Count, options, i =>
        {
            try
            {
                var pixels = ImageDecoder.DecodeSquare(candidates[i].File, size);
                if (cacheInMemory) decoded[i] = pixels;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                errors[i] = e.Message;
            }
        });

        var skipped = new List<SkippedImage>();
        var files = new List<string>();
        var labels = new List<int>();
        var cache = new List<byte[]?>();
        for (int i = 0; i < candidates.Count; i++)
        {
            if (errors[i] is { } reason) { skipped.Add(new SkippedImage(candidates[i].File, reason)); continue; }
            files.Add(candidates[i].File);
            labels.Add(candidates[i].Label);
            cache.Add(decoded[i]);
        }
        if (files.Count == 0)
            throw new InvalidDataException($"'{root}' has no decodable .jpg/.jpeg/.png image ({skipped.Count} skipped, e.g. {skipped[0].Reason}).");
        var present = new bool[classes.Count];
        foreach (int label in labels) present[label] = true;
        var emptied = Enumerable.Range(0, classes.Count).Where(c => !present[c]).ToArray();
        if (emptied.Length > 0)
            throw new InvalidDataException($"No image of class {string.Join(", ", emptied.Select(c => $"'{classes[c]}'"))} in '{root}' decodes "
                + $"(e.g. {skipped.First(s => Path.GetFileName(Path.GetDirectoryName(s.Path)) == classes[emptied[0]]).Reason}); every class needs images.");
        return new ImageFolderDataset(root, [.. files], [.. labels], cacheInMemory ? [.. cache] : null, size, classes, skipped);
    }

    /// <summary>The folder the data set was opened from.</summary>
    public string Root { get; }

    /// <summary>The image files, in label then name order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Files that did not decode and were left out.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <inheritdoc/>
    public int Count => _files.Length;

    /// <inheritdoc/>
    public int Channels => 3;

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _labels[index];
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">Without the cache: the file no longer decodes.</exception>
    public void ReadImage(int index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        int length = Channels * Height * Width;
        if (destination.Length < length)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; one image needs {length}.", nameof(destination));
        var pixels = _cache?[index] ?? ImageDecoder.DecodeSquare(_files[index], Height);
        pixels.CopyTo(destination);
    }
}
