namespace AlexNet.Facade;

/// <summary>An <see cref="IImageDataset"/> whose pixels and labels are held in memory.</summary>
public sealed class InMemoryImageDataset : IImageDataset
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;

    /// <summary>Wraps planar pixel bytes and labels (the arrays are used as given, not copied).</summary>
    /// <param name="pixels">Count × channels × height × width bytes, image after image.</param>
    /// <param name="labels">One class index per image, each in [0, classNames.Count).</param>
    /// <param name="channels">Channels per image.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="classNames">The class names.</param>
    /// <exception cref="ArgumentException">The sizes disagree or a label is out of range.</exception>
    public InMemoryImageDataset(byte[] pixels, int[] labels, int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (channels < 1 || height < 1 || width < 1)
            throw new ArgumentException($"Image size {channels}×{height}×{width} must be positive in every dimension.");
        if (classNames.Count < 1) throw new ArgumentException("A data set needs at least one class.", nameof(classNames));
        long imageSize = (long)channels * height * width;
        if (pixels.LongLength != imageSize * labels.Length)
            throw new ArgumentException($"{labels.Length} labels need {imageSize * labels.Length} pixel bytes of {channels}×{height}×{width} images, got {pixels.LongLength}.", nameof(pixels));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {labels[i]} of image {i} is outside [0, {classNames.Count}).", nameof(labels));
        _pixels = pixels;
        _labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public int Channels { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    private int ImageSize => Channels * Height * Width;

    /// <inheritdoc/>
    public int Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _labels[index];
    }

    /// <inheritdoc/>
    public void ReadImage(int index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        if (destination.Length < ImageSize)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; one image needs {ImageSize}.", nameof(destination));
        _pixels.AsSpan(index * ImageSize, ImageSize).CopyTo(destination);
    }

    /// <summary>A data set of the images at <paramref name="indices"/>, in that order (pixels copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    public InMemoryImageDataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = ImageSize;
        var pixels = new byte[(long)indices.Count * size];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            ReadImage(indices[i], pixels.AsSpan(i * size, size));
            labels[i] = _labels[indices[i]];
        }
        return new InMemoryImageDataset(pixels, labels, Channels, Height, Width, ClassNames);
    }
}
