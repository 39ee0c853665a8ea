namespace AlexNet.Facade;

/// <summary>
/// A view of some images of another <see cref="IImageDataset"/>, in a given order: reads go to the underlying data set,
/// no pixels are copied (e.g. the validation images held out of a prepared store's training split).
/// </summary>
public sealed class ImageDatasetSubset : IImageDataset
{
    private readonly IImageDataset _source;
    private readonly int[] _indices;

    /// <summary>Creates the view of <paramref name="indices"/> (copied, so later changes to the list do not affect it).</summary>
    /// <param name="source">The data set viewed.</param>
    /// <param name="indices">Image i of the view is image indices[i] of <paramref name="source"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, source.Count).</exception>
    public ImageDatasetSubset(IImageDataset source, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        _indices = [.. indices];
        for (int i = 0; i < _indices.Length; i++)
            if ((uint)_indices[i] >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {_indices[i]} at position {i} is outside the {source.Count} images of the data set.");
        _source = source;
    }

    /// <summary>The data set viewed.</summary>
    public IImageDataset Source => _source;

    /// <summary>The index in <see cref="Source"/> of image <paramref name="index"/> of this view.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    public int SourceIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _indices[index];
    }

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
}
