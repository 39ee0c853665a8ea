using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// A view of some examples of another <see cref="IDataset"/>, in a given order: every read, augmentation and
/// evaluation view included, goes to the underlying data set (e.g. a held-out validation split, or one rank's share).
/// </summary>
public sealed class DatasetSubset : IDataset
{
    private readonly IDataset _source;
    private readonly int[] _indices;

    /// <summary>Creates the view of <paramref name="indices"/> (copied, so later changes to the list do not affect it).</summary>
    /// <param name="source">The data set viewed.</param>
    /// <param name="indices">Example i of the view is example indices[i] of <paramref name="source"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, source.Count).</exception>
    public DatasetSubset(IDataset source, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        _indices = [.. indices];
        for (int i = 0; i < _indices.Length; i++)
            if ((uint)_indices[i] >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {_indices[i]} at position {i} is outside the {source.Count} examples of the data set.");
        _source = source;
    }

    /// <summary>The data set viewed.</summary>
    public IDataset Source => _source;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public Shape ExampleShape => _source.ExampleShape;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => _source.ClassNames;

    /// <inheritdoc/>
    public int Views => _source.Views;

    /// <inheritdoc/>
    public int Label(int index) => _source.Label(SourceIndex(index));

    /// <inheritdoc/>
    public void Read(int index, Span<float> destination) => _source.Read(SourceIndex(index), destination);

    /// <inheritdoc/>
    public void ReadTraining(int index, RandomKey key, Span<float> destination) => _source.ReadTraining(SourceIndex(index), key, destination);

    /// <inheritdoc/>
    public void ReadViews(int index, Span<float> destination) => _source.ReadViews(SourceIndex(index), destination);

    private int SourceIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _indices[index];
    }
}
