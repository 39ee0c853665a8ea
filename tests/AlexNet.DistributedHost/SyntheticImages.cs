using AlexNet.Facade;

namespace AlexNet.DistributedHost;

/// <summary>Fashion-MNIST-shaped stand-in data (28×28 grey, ten classes) made from a seed, so the distributed tests
/// need no download: each class is a bright square at its own place on a noisy background.</summary>
internal static class SyntheticImages
{
    /// <summary>Side of an image.</summary>
    public const int Size = 28;

    /// <summary>Number of classes.</summary>
    public const int Classes = 10;

    /// <summary><paramref name="count"/> images, labels cycling through the classes.</summary>
    public static InMemoryImageDataset Make(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * Size * Size];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % Classes;
            labels[n] = label;
            int top = 3 + label / 5 * 12, left = 2 + label % 5 * 5;
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    bool inside = y >= top && y < top + 10 && x >= left && x < left + 5;
                    pixels[n * Size * Size + y * Size + x] = (byte)((inside ? 160 : 20) + rng.Next(80));
                }
        }
        return new InMemoryImageDataset(pixels, labels, 1, Size, Size, Enumerable.Range(0, Classes).Select(c => $"class{c}").ToArray());
    }
}
