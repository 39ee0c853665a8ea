using AlexNet.Facade;
using SkiaSharp;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class ImageDecoderTests
{
    [Fact]
    public void TheCentralSquareIsKeptExactlyWhenNoScalingIsNeeded()
    {
        var png = TestImages.Encode(12, 8, (x, y) => new SKColor((byte)(x * 20), (byte)(y * 30), 9), SKEncodedImageFormat.Png);
        var image = ImageDecoder.DecodeSquare(png, 8);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                Assert.Equal(((x + 2) * 20, y * 30, 9), (image[y * 8 + x], image[64 + y * 8 + x], image[128 + y * 8 + x]));
        var tall = TestImages.Encode(4, 10, (x, y) => new SKColor((byte)(x * 20), (byte)(y * 20), 0), SKEncodedImageFormat.Png);
        Assert.Equal([0, 20, 40, 60, 0, 20, 40, 60], ImageDecoder.DecodeSquare(tall, 4)[..8]);          // rows 3 and 4: all columns
        Assert.Equal([60, 60, 60, 60, 80, 80, 80, 80], ImageDecoder.DecodeSquare(tall, 4)[16..24]);    // green of rows 3, 4
    }

    [Fact]
    public void AHugePngIsRefusedWithItsDimensionsBeforeAnyPixelIsAllocated()
    {
        var png = TestImages.HugePngHeader(20000);
        using (var codec = SKCodec.Create(SKData.CreateCopy(png)))
            Assert.Equal((20000, 20000), (codec.Info.Width, codec.Info.Height)); // the header really declares it
        var e = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeSquare(png, 256, "huge.png"));
        Assert.Contains("huge.png", e.Message);
        Assert.Contains("20000×20000", e.Message);
    }

    [Fact]
    public void AHugeJpegIsDecodedAtACodecScaleWithinTheBound()
    {
        var jpeg = TestImages.HugeJpegHeader(20000);
        using var codec = SKCodec.Create(SKData.CreateCopy(jpeg));
        Assert.Equal((20000, 20000), (codec.Info.Width, codec.Info.Height));
        var planned = ImageDecoder.DecodeDimensions(new SKSizeI(20000, 20000), codec.GetScaledDimensions, 256, "huge.jpg");
        Assert.Equal(new SKSizeI(2500, 2500), planned); // 1/8: the smallest scale keeping 256, within 2^26 pixels
        Assert.True((long)planned.Width * planned.Height <= ImageDecoder.MaxDecodedPixels);
        // The patched file has only 16×16 pixels of data, which libjpeg pads: decoded at 2500×2500, never at 20000×20000.
        Assert.Equal(3 * 256 * 256, ImageDecoder.DecodeSquare(jpeg, 256, "huge.jpg").Length);
    }

    [Fact]
    public void BigJpegsDecodeAtTheSmallestScaleKeepingTheSize()
    {
        var jpeg = TestImages.Noise(640, 480, 3, SKEncodedImageFormat.Jpeg);
        using var codec = SKCodec.Create(SKData.CreateCopy(jpeg));
        Assert.Equal(new SKSizeI(160, 120), ImageDecoder.DecodeDimensions(new SKSizeI(640, 480), codec.GetScaledDimensions, 64, "x"));
        Assert.Equal(new SKSizeI(640, 480), ImageDecoder.DecodeDimensions(new SKSizeI(640, 480), codec.GetScaledDimensions, 480, "x"));
        Assert.Equal(3 * 64 * 64, ImageDecoder.DecodeSquare(jpeg, 64).Length);
        // Beyond the bound with no codec scaling: refused; with one: the largest scale within the bound.
        var huge = new SKSizeI(10000, 10000);
        Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeDimensions(huge, _ => huge, 256, "x"));
        // 10000×30000 for a side of 9000: no scale below 1 keeps 9000, and 4/8 is still 75 M pixels, so 3/8.
        Assert.Equal(new SKSizeI(3750, 11250), ImageDecoder.DecodeDimensions(new SKSizeI(10000, 30000), s => new SKSizeI((int)(10000 * s), (int)(30000 * s)), 9000, "x"));
    }

    [Fact]
    public void PrepareSkipsAnOversizeImageAndNamesIt()
    {
        using var dir = new TempDirectory();
        TestImages.Write(dir.Path, "a/ok.png", TestImages.Noise(6, 6, 1, SKEncodedImageFormat.Png));
        TestImages.Write(dir.Path, "b/ok.png", TestImages.Noise(6, 6, 2, SKEncodedImageFormat.Png));
        TestImages.Write(dir.Path, "b/huge.png", TestImages.HugePngHeader(20000));
        var result = ImageStore.Prepare(dir.Path, Path.Combine(dir.Path, "s.store"), 4);
        Assert.Equal(2, result.Count);
        Assert.Equal("b/huge.png", result.Skipped.Single().Path);
        Assert.Contains("20000×20000", result.Skipped.Single().Reason);
    }

    [Fact]
    public void FormatsOtherThanJpegAndPngAreRefusedByNameWhateverTheExtension()
    {
        byte[] gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0, 0x3B];
        var e = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeSquare(gif, 8, "pic.png"));
        Assert.Equal("'pic.png' is a GIF image; only JPEG and PNG are read (convert it first).", e.Message);
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("pic.jpg"), gif);
        Assert.Contains("is a GIF image", Assert.Throws<InvalidDataException>(() => ImageDecoder.Dimensions(dir.File("pic.jpg"))).Message);
        Assert.NotNull(ImageDecoder.DecodeSquare(TestImages.Noise(8, 8, 1, SKEncodedImageFormat.Jpeg), 8));
    }
}
