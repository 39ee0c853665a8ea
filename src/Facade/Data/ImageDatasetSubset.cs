namespace AlexNet.Facade.Data;

/// <summary>
/// The images of another data set at a list of indices, in that order, read through from the source (nothing is
/// copied), so a validation split can be held out of a streamed training set without holding either in memory.
/// </summary>
public sealed class ImageDatasetSubset : IImageDataset
{
    private readonly IImageDataset _source;
    private readonly int[] _indices;

    /// <summary>A view of <paramref name="source"/> at <paramref name="indices"/> (the array is copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, source.Count).</exception>
    public ImageDatasetSubset(IImageDataset source, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        _indices = [.. indices];
        foreach (int i in _indices)
            if ((uint)i >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside the source's {source.Count} images.");
        _source = source;
    }

    /// <summary>The data set the images are read from.</summary>
    public IImageDataset Source => _source;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public int Channels => _source.Channels;

    /// <inheritdoc/>
    public int Height => _source.Height;

    /// <inheritdoc/>
    public int Width => _source.Width;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => _source.ClassNames;

    /// <inheritdoc/>
    public int Label(int index) => _source.Label(SourceIndex(index));

    /// <inheritdoc/>
    public void ReadImage(int index, Span<byte> destination) => _source.ReadImage(SourceIndex(index), destination);

    /// <summary>The index in <see cref="Source"/> of image <paramref name="index"/> of this view.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    public int SourceIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _indices[index];
    }
}
