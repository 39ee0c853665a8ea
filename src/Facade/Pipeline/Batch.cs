using AlexNet.Autograd;

namespace AlexNet.Facade.Pipeline;

/// <summary>
/// A batch ready for the network: <see cref="Count"/> examples × <see cref="Views"/> views each, as one array of
/// [Count·Views, ..ExampleShape] floats (the views of one example are adjacent), and one label per example.
/// </summary>
/// <param name="Index">Position of the batch in its epoch.</param>
/// <param name="Examples">The values.</param>
/// <param name="Labels">One class per example.</param>
/// <param name="Views">Views per example (1, or 10 for the paper's test-time crops).</param>
/// <param name="ExampleShape">The shape of one view of one example, e.g. [C, S, S].</param>
public sealed record Batch(int Index, float[] Examples, int[] Labels, int Views, Shape ExampleShape)
{
    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>The shape of <see cref="Examples"/>: [Count·Views, ..ExampleShape].</summary>
    public Shape Shape => new([Count * Views, .. ExampleShape.Dims]);
}
