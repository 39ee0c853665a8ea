using AlexNet.Autograd;
using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class AugmentationTests
{
    private static byte[] Ramp(int channels, int h, int w) =>
        Enumerable.Range(0, channels * h * w).Select(i => (byte)((i * 37 + i / w * 11) % 251)).ToArray();

    [Fact]
    public void RandomCropsStayInsideThePaddedImageAndCoverEveryOffset()
    {
        var t = new ImageTransform(new AugmentationOptions { CropSize = 227, Mean = MeanSubtraction.None }, 3, 256, 256, null);
        var small = new ImageTransform(new AugmentationOptions { CropSize = 28, Padding = 2, Mean = MeanSubtraction.None }, 1, 28, 28, null);
        var seen = new HashSet<(int, int)>();
        var root = RandomKey.FromSeed(11);
        for (int i = 0; i < 2000; i++)
        {
            var v = t.Draw(root.Fold((ulong)i));
            Assert.InRange(v.Top, 0, 256 - 227);
            Assert.InRange(v.Left, 0, 256 - 227);
            var s = small.Draw(root.Fold((ulong)i));
            Assert.InRange(s.Top, 0, 4);
            Assert.InRange(s.Left, 0, 4);
            seen.Add((s.Top, s.Left));
        }
        Assert.Equal(25, seen.Count);
    }

    [Fact]
    public void SameKeySameViewAndFlipsAreBalanced()
    {
        var t = new ImageTransform(new AugmentationOptions { CropSize = 6, Padding = 1, MaxRotationDegrees = 10, Mean = MeanSubtraction.None }, 1, 8, 8, null);
        var key = RandomKey.FromSeed(2);
        Assert.Equal(t.Draw(key) with { Alphas = [] }, t.Draw(key) with { Alphas = [] });
        int flips = Enumerable.Range(0, 4000).Count(i => t.Draw(key.Fold((ulong)i)).Flip);
        Assert.InRange(flips, 1800, 2200);
        Assert.All(Enumerable.Range(0, 200), i => Assert.InRange(t.Draw(key.Fold((ulong)i)).RotationDegrees, -10f, 10f));
    }

    [Fact]
    public void FlippingTwiceIsIdentity()
    {
        var t = new ImageTransform(AugmentationOptions.None(8) with { Mean = MeanSubtraction.None }, 3, 8, 8, null);
        var image = Ramp(3, 8, 8);
        var once = new float[t.OutputLength];
        t.Render(image, CropWindow.At(0, 0, flip: true), once);
        Assert.Equal(image[7], once[0]); // row 0 reversed
        var twice = new float[t.OutputLength];
        t.Render(once.Select(v => (byte)v).ToArray(), CropWindow.At(0, 0, flip: true), twice);
        Assert.Equal(image.Select(b => (float)b), twice);
    }

    [Fact]
    public void CropReadsTheRightWindowAndPadsWithTheMean()
    {
        var stats = DatasetStatistics.Compute(new InMemoryImageDataset(Ramp(1, 6, 6), [0], 1, 6, 6, ["x"]));
        var t = new ImageTransform(new AugmentationOptions { CropSize = 4, Padding = 1, Mean = MeanSubtraction.MeanPixel }, 1, 6, 6, stats);
        var image = Ramp(1, 6, 6);
        var output = new float[16];
        t.Render(image, CropWindow.At(0, 3), output); // rows −1…2, columns 2…5 of the image
        Assert.All(output[..4], v => Assert.Equal(0f, v)); // padding row is the mean, 0 after subtraction
        Assert.Equal(image[0 * 6 + 2] - stats.MeanPixel[0], output[4], 4);
        Assert.Equal(image[2 * 6 + 5] - stats.MeanPixel[0], output[15], 4);
        Assert.Throws<ArgumentException>(() => t.Render(image, CropWindow.At(0, 5), output));
    }

    [Fact]
    public void MeanImageSubtractionCentresTheTrainingSet()
    {
        var set = StatisticsTests.RandomRgb(50, 5, seed: 1);
        var stats = DatasetStatistics.Compute(set);
        var t = new ImageTransform(AugmentationOptions.None(5), 3, 5, 5, stats);
        var sum = new double[t.OutputLength];
        var image = new byte[t.InputLength];
        var output = new float[t.OutputLength];
        for (int n = 0; n < set.Count; n++)
        {
            set.ReadImage(n, image);
            t.Render(image, t.Centre, output);
            for (int i = 0; i < output.Length; i++) sum[i] += output[i];
        }
        Assert.All(sum, s => Assert.Equal(0, s / set.Count, 3));
    }

    [Fact]
    public void PcaShiftEqualsThePapersFormula()
    {
        var set = StatisticsTests.RandomRgb(100, 4, seed: 9);
        var stats = DatasetStatistics.Compute(set);
        var options = AugmentationOptions.None(4) with { Mean = MeanSubtraction.None, PcaStandardDeviation = 0.1f };
        var t = new ImageTransform(options, 3, 4, 4, stats);
        var image = Ramp(3, 4, 4);
        var plain = new float[48];
        var shifted = new float[48];
        t.Render(image, t.Centre, plain);
        var view = t.Draw(RandomKey.FromSeed(4));
        Assert.Equal(3, view.Alphas.Count);
        t.Render(image, view, shifted);
        var p = stats.Pca;
        for (int c = 0; c < 3; c++)
        {
            double expected = 0;
            for (int i = 0; i < 3; i++) expected += p.Eigenvectors[c, i] * view.Alphas[i] * p.Eigenvalues[i];
            expected *= 255;
            for (int k = 0; k < 16; k++) Assert.Equal(expected, shifted[c * 16 + k] - plain[c * 16 + k], 3);
        }
        Assert.NotEqual(0, shifted[0] - plain[0], 6);
    }

    [Fact]
    public void TenCropsAreTheCornersTheCentreAndTheirReflections()
    {
        var crops = TestCrops.TenCrops(256, 256, 0, 227);
        Assert.Equal(10, crops.Count);
        Assert.Equal([(0, 0), (0, 29), (29, 0), (29, 29), (14, 14)], crops.Take(5).Select(c => (c.Top, c.Left)));
        Assert.All(crops.Take(5), c => Assert.False(c.Flip));
        Assert.Equal(crops.Take(5).Select(c => (c.Top, c.Left)), crops.Skip(5).Select(c => (c.Top, c.Left)));
        Assert.All(crops.Skip(5), c => Assert.True(c.Flip));
        Assert.Equal((2, 2), (TestCrops.Centre(28, 28, 2, 28).Top, TestCrops.Centre(28, 28, 2, 28).Left));
    }

    [Fact]
    public void ZeroRotationMatchesPlainCropAndRotationKeepsTheCentre()
    {
        var t = new ImageTransform(AugmentationOptions.None(7) with { Mean = MeanSubtraction.None }, 1, 7, 7, null);
        var image = Ramp(1, 7, 7);
        var a = new float[49];
        var b = new float[49];
        t.Render(image, CropWindow.At(0, 0), a);
        t.Render(image, new CropWindow(0, 0, false, 90f, []), b);
        Assert.Equal(image[24], b[24], 3); // the centre pixel stays
        Assert.Equal(image.Select(x => (float)x), a);
        // A quarter turn maps the top row onto a side column.
        var column = Enumerable.Range(0, 7).Select(r => b[r * 7 + 0]).ToArray();
        var column2 = Enumerable.Range(0, 7).Select(r => b[r * 7 + 6]).ToArray();
        var top = Enumerable.Range(0, 7).Select(x => (float)image[x]).ToArray();
        Assert.True(Close(column, top) || Close(column, top.Reverse().ToArray()) || Close(column2, top) || Close(column2, top.Reverse().ToArray()));
    }

    private static bool Close(float[] a, float[] b) => a.Zip(b).All(p => Math.Abs(p.First - p.Second) < 1e-3);

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new ImageTransform(new AugmentationOptions { CropSize = 30, Mean = MeanSubtraction.None }, 1, 28, 28, null));
        Assert.Throws<ArgumentException>(() => new ImageTransform(new AugmentationOptions { CropSize = 28 }, 1, 28, 28, null)); // mean needs statistics
        Assert.Throws<ArgumentException>(() => new ImageTransform(new AugmentationOptions { CropSize = 28, Mean = MeanSubtraction.None, PcaStandardDeviation = -1 }, 1, 28, 28, null));
    }
}
