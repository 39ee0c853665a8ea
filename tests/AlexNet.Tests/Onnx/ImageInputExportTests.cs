using AlexNet.Autograd;
using AlexNet.Facade;
using AlexNet.Layers;
using AlexNet.Onnx;
using AlexNet.Tests.Facade;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Onnx;

/// <summary>The preprocessing put into the graph: whole images in, the same outputs as our transform followed by the
/// network.</summary>
public sealed class ImageInputExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(MeanSubtraction.MeanImage, 24)]
    [InlineData(MeanSubtraction.MeanPixel, 28)]
    [InlineData(MeanSubtraction.None, 20)]
    public void TheGraphCropsSubtractsAndScalesAsTheTransformDoes(MeanSubtraction mean, int crop)
    {
        const int n = 6;
        var random = new Random(7);
        var pixels = new byte[n * 3 * 28 * 28];
        random.NextBytes(pixels);
        var images = new InMemoryImageDataset(pixels, [.. Enumerable.Range(0, n).Select(i => i % 3)], 3, 28, 28, ["a", "b", "c"]);
        var statistics = DatasetStatistics.Compute(images, 1);
        var options = AugmentationOptions.None(crop) with { Mean = mean, Scale = 0.0173f };
        var transform = new ImageTransform(options, 3, 28, 28, statistics);
        var offset = new float[transform.OutputLength];
        transform.Render(new byte[transform.InputLength], transform.Centre, offset);
        var imageInput = new OnnxImageInput(3, 28, 28, transform.Centre.Top, transform.Centre.Left, options.Scale, offset);

        var net = Network.Create(new Shape(3, crop, crop), [new Conv("c", 4, 3, Initializer: Initializer.He), new Relu("r"), new Flatten("f"), new Dense("d", 3)]);
        using var p = net.Init(RandomKey.FromSeed(8));
        using var folder = new TempDirectory();
        net.ExportOnnx(folder.File("m.onnx"), p, softmax: false, imageInput: imageInput);

        var rendered = new float[n * transform.OutputLength];
        for (int i = 0; i < n; i++)
            transform.Render(pixels.AsSpan(i * transform.InputLength, transform.InputLength), transform.Centre, rendered.AsSpan(i * transform.OutputLength, transform.OutputLength));
        using var x = Tensor.FromArray(rendered, new Shape(n, 3, crop, crop));
        using var expected = net.Apply(p, x, Mode.Eval, default);
        using var raw = Tensor.FromArray([.. pixels.Select(b => (float)b)], new Shape(n, 3, 28, 28));
        using var actual = OnnxRuntimeRunner.Run(folder.File("m.onnx"), raw);
        double error = OnnxComparison.AssertClose(actual, expected);
        output.WriteLine($"{mean}, crop {crop}: max relative difference {error:E2}");
    }

    [Fact]
    public void AnImageInputThatDoesNotFitIsRefused()
    {
        var net = Network.Create(new Shape(3, 8, 8), [new Flatten("f"), new Dense("d", 2)]);
        using var p = net.Init(RandomKey.FromSeed(9));
        var tooSmall = new OnnxImageInput(3, 6, 6, 0, 0, 1f, new float[192]);
        Assert.Contains("does not fit a 6×6 image", Assert.Throws<ArgumentException>(() => net.ToOnnx(p, imageInput: tooSmall)).Message);
        var wrongChannels = new OnnxImageInput(1, 8, 8, 0, 0, 1f, new float[192]);
        Assert.Contains("1 channels", Assert.Throws<ArgumentException>(() => net.ToOnnx(p, imageInput: wrongChannels)).Message);
        var shortOffset = new OnnxImageInput(3, 8, 8, 0, 0, 1f, new float[10]);
        Assert.Contains("needs 192", Assert.Throws<ArgumentException>(() => net.ToOnnx(p, imageInput: shortOffset)).Message);
    }
}
