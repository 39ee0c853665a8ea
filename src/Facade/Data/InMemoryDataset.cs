using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>An <see cref="IDataset"/> of float examples held in memory: features, spectrograms, images already
/// scaled, anything a network reads as a tensor. No augmentation, one view per example.</summary>
public sealed class InMemoryDataset : IDataset
{
    private readonly float[] _examples;
    private readonly int[] _labels;
    private readonly int _exampleSize;

    /// <summary>Wraps examples and labels (the arrays are used as given, not copied).</summary>
    /// <param name="examples">Count × the example shape's count of floats, example after example.</param>
    /// <param name="labels">One class index per example, each in [0, classNames.Count).</param>
    /// <param name="exampleShape">The shape of one example, e.g. [1, 28, 28].</param>
    /// <param name="classNames">The class names.</param>
    /// <exception cref="ArgumentException">The sizes disagree, a label is out of range, or there is no class.</exception>
    public InMemoryDataset(float[] examples, int[] labels, Shape exampleShape, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(exampleShape);
        ArgumentNullException.ThrowIfNull(classNames);
        if (exampleShape.Rank == 0 || exampleShape.Count == 0)
            throw new ArgumentException($"An example of shape {exampleShape} holds no value; give each example's dimensions, e.g. [1, 28, 28].", nameof(exampleShape));
        if (classNames.Count < 1) throw new ArgumentException("A data set needs at least one class.", nameof(classNames));
        if (examples.LongLength != (long)exampleShape.Count * labels.Length)
            throw new ArgumentException($"{labels.Length} labels need {(long)exampleShape.Count * labels.Length} floats of {exampleShape} examples, got {examples.LongLength}.", nameof(examples));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {labels[i]} of example {i} is outside [0, {classNames.Count}).", nameof(labels));
        _examples = examples;
        _labels = labels;
        _exampleSize = exampleShape.Count;
        ExampleShape = exampleShape;
        ClassNames = classNames;
    }

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public Shape ExampleShape { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _labels[index];
    }

    /// <inheritdoc/>
    public void Read(int index, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        if (destination.Length != _exampleSize)
            throw new ArgumentException($"An example is {_exampleSize} floats ({ExampleShape}); the destination holds {destination.Length}.", nameof(destination));
        _examples.AsSpan(index * _exampleSize, _exampleSize).CopyTo(destination);
    }
}
