using AlexNet.Facade;

namespace AlexNet.Tests.Facade;

/// <summary>
/// A learnable 10-class problem at Fashion-MNIST's size (28×28 grey): classes 0–4 are a faint horizontal band at one
/// of five heights, classes 5–9 a faint centred square of one of five sizes, each under noise of several times its
/// brightness, so that it takes the Fashion preset a few epochs, as Fashion-MNIST does (with a bright pattern it learns
/// within the first epoch whatever its start). Every pattern is left-right symmetric, so reflections keep the class.
/// </summary>
internal static class BandsAndSquares
{
    public const int Size = 28;
    public const int Classes = 10;

    public static InMemoryImageDataset Create(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * Size * Size];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int label = rng.Next(Classes);
            labels[n] = label;
            int bright = 20 + rng.Next(100);
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    bool on = label < 5
                        ? y >= 3 + 5 * label && y < 6 + 5 * label
                        : Math.Max(Math.Abs(2 * y - 27), Math.Abs(2 * x - 27)) < 4 * (label - 4) + 1;
                    pixels[(n * Size + y) * Size + x] = (byte)Math.Min(255, (on ? bright : 10) + rng.Next(150));
                }
            }
        }
        return new InMemoryImageDataset(pixels, labels, 1, Size, Size, [.. Enumerable.Range(0, Classes).Select(k => k < 5 ? $"band{k}" : $"square{k - 4}")]);
    }
}
