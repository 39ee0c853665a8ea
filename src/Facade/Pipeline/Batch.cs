namespace AlexNet.Facade.Pipeline;

/// <summary>
/// A batch ready for the network: <see cref="Count"/> images × <see cref="Views"/> views each, planar floats
/// [Count·Views, C, S, S] (the views of one image are adjacent), and one label per image.
/// </summary>
/// <param name="Index">Position of the batch in its epoch.</param>
/// <param name="Images">The pixels.</param>
/// <param name="Labels">One class per image.</param>
/// <param name="Views">Views per image (1, or 10 for the paper's test-time crops).</param>
/// <param name="Channels">Channels per view.</param>
/// <param name="Size">Side of each view.</param>
public sealed record Batch(int Index, float[] Images, int[] Labels, int Views, int Channels, int Size)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The NCHW shape of <see cref="Images"/>.</summary>
    public int[] Shape => [Count * Views, Channels, Size, Size];
}
