using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// A labelled set of examples as the network reads them: each example is <see cref="ExampleShape"/> floats (for a
/// convolutional network [channels, height, width]), each label an index into <see cref="ClassNames"/>. This is what
/// the <see cref="Trainer"/> and the <see cref="Evaluator"/> consume; photographs reach it through
/// <see cref="ImageExamples"/> (byte images + an <see cref="ImageTransform"/>), other data through
/// <see cref="InMemoryDataset"/> or an implementation of your own.
/// </summary>
/// <remarks>
/// Implementations must be safe to read from several threads at once (batches are prepared on worker threads), and
/// every read must be a pure function of its arguments, so that a run is reproducible and a resumed run sees the same
/// batches. Only <see cref="Count"/>, <see cref="ExampleShape"/>, <see cref="ClassNames"/>, <see cref="Label"/> and
/// <see cref="Read"/> must be written; the others default to "no augmentation, one view".
/// </remarks>
public interface IDataset
{
    /// <summary>Number of examples.</summary>
    int Count { get; }

    /// <summary>The shape of one example (without the batch axis).</summary>
    Shape ExampleShape { get; }

    /// <summary>The class names; a label is an index into this list.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The class of example <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    int Label(int index);

    /// <summary>Writes example <paramref name="index"/> as evaluation sees it (no randomness) into
    /// <paramref name="destination"/> (<see cref="ExampleShape"/>'s count of floats).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    /// <exception cref="ArgumentException">The destination does not hold one example.</exception>
    void Read(int index, Span<float> destination);

    /// <summary>Writes example <paramref name="index"/> as training sees it: a random augmentation draws only from
    /// <paramref name="key"/> (the trainer gives every example of every epoch its own key). Defaults to
    /// <see cref="Read"/>, no augmentation.</summary>
    void ReadTraining(int index, RandomKey key, Span<float> destination) => Read(index, destination);

    /// <summary>Views per example at evaluation, whose softmax outputs are averaged (10 for the paper's ten crops);
    /// defaults to 1.</summary>
    int Views => 1;

    /// <summary>Writes the <see cref="Views"/> views of example <paramref name="index"/>, one after the other, into
    /// <paramref name="destination"/> (Views × one example). Defaults to <see cref="Read"/> (one view).</summary>
    void ReadViews(int index, Span<float> destination) => Read(index, destination);
}
