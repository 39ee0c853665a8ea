using AlexNet.Facade;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Facade;

/// <summary>The SIMD row path of <see cref="ImageTransform.Render"/> against the per-pixel formula, bit for bit.</summary>
public sealed class RenderRowsTests
{
    internal sealed record Case(int Channels, int Height, int Width, int Padding, int Crop, int Top, int Left, bool Flip,
                                MeanSubtraction Mean, bool Pca, float Scale, int Seed);

    private static Gen<Case> Cases =>
        from channels in Gen.Elements(1, 3)
        from h in Gen.Choose(1, 24)
        from w in Gen.Elements(1, 3, 15, 16, 17, 31, 32, 33, 47, 64, 70)
        from p in Gen.Choose(0, 5)
        from crop in Gen.Choose(1, Math.Min(h, w) + 2 * p)
        from top in Gen.Choose(0, h + 2 * p - crop)
        from left in Gen.Choose(0, w + 2 * p - crop)
        from flip in Gen.Elements(false, true)
        from mean in Gen.Elements(MeanSubtraction.None, MeanSubtraction.MeanImage, MeanSubtraction.MeanPixel)
        from pca in Gen.Elements(false, true)
        from scale in Gen.Elements(1f, 1 / 255f, -0.37f, 0.0173f)
        from seed in Gen.Choose(0, 1_000_000)
        select new Case(channels, h, w, p, crop, top, left, flip, mean, pca, scale, seed);

    [Property(MaxTest = 300, Replay = "(314159265,358979323)")]
    public Property RowPathEqualsPerPixelPathBitForBit() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var random = new Random(c.Seed);
        int size = c.Channels * c.Height * c.Width;
        var pixels = new byte[3 * size];
        random.NextBytes(pixels);
        var statistics = DatasetStatistics.Compute(new InMemoryImageDataset(pixels, [0, 1, 0], c.Channels, c.Height, c.Width, ["a", "b"]));
        var options = new AugmentationOptions
        {
            CropSize = c.Crop, Padding = c.Padding, Mean = c.Mean, PcaStandardDeviation = c.Pca ? 0.5f : 0f, Scale = c.Scale,
        };
        var transform = new ImageTransform(options, c.Channels, c.Height, c.Width, statistics);
        var alphas = c.Pca ? Enumerable.Range(0, c.Channels).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray() : [];
        var view = new CropWindow(c.Top, c.Left, c.Flip, 0f, alphas);
        var image = pixels.AsSpan(0, size).ToArray();
        var fast = new float[transform.OutputLength];
        var reference = new float[transform.OutputLength];
        fast.AsSpan().Fill(float.NaN);
        transform.Render(image, view, fast);
        transform.RenderPerPixel(image, view, reference);
        for (int i = 0; i < fast.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(fast[i]) == BitConverter.SingleToInt32Bits(reference[i]),
                        $"output {i}: row path {fast[i]:R}, per-pixel path {reference[i]:R} ({c})");
    });
}
