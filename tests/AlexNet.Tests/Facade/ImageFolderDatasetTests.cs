using AlexNet.Facade;
using SkiaSharp;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class ImageFolderDatasetTests
{
    private static byte[] Encode(int width, int height, Func<int, int, SKColor> color, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, color(x, y));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    private static TempDirectory MakeTree()
    {
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("cat"));
        Directory.CreateDirectory(dir.File("dog"));
        // 40×20, left half red, right half blue: scaled to 16×8 and centre-cropped to 8×8 it is 4 red then 4 blue columns.
        File.WriteAllBytes(dir.File("cat/a.png"), Encode(40, 20, (x, _) => x < 20 ? new SKColor(255, 0, 0) : new SKColor(0, 0, 255), SKEncodedImageFormat.Png));
        File.WriteAllBytes(dir.File("cat/b.jpg"), Encode(10, 10, (_, _) => new SKColor(0, 200, 0), SKEncodedImageFormat.Jpeg));
        File.WriteAllBytes(dir.File("dog/c.PNG"), Encode(8, 8, (x, y) => new SKColor((byte)(x * 30), (byte)(y * 30), 77), SKEncodedImageFormat.Png));
        File.WriteAllBytes(dir.File("dog/broken.jpg"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var png = Encode(32, 32, (x, y) => new SKColor((byte)(x * y), (byte)x, (byte)y), SKEncodedImageFormat.Png);
        File.WriteAllBytes(dir.File("dog/cut.png"), png[..(png.Length / 2)]);
        File.WriteAllText(dir.File("dog/notes.txt"), "not an image");
        return dir;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DecodesScalesCropsAndSkipsCorruptFiles(bool cache)
    {
        using var dir = MakeTree();
        var set = ImageFolderDataset.Open(dir.Path, size: 8, cacheInMemory: cache, threads: 2);
        Assert.Equal(["cat", "dog"], set.ClassNames);
        Assert.Equal(3, set.Count);
        Assert.Equal((3, 8, 8), (set.Channels, set.Height, set.Width));
        Assert.Equal([0, 0, 1], Enumerable.Range(0, 3).Select(set.Label));
        Assert.Equal(2, set.Skipped.Count);
        Assert.Equal(["broken.jpg", "cut.png"], set.Skipped.Select(s => Path.GetFileName(s.Path)).Order(StringComparer.Ordinal));

        var image = new byte[3 * 64];
        set.ReadImage(0, image); // a.png
        for (int y = 0; y < 8; y++)
        {
            foreach (int x in new[] { 0, 1, 2 }) Assert.Equal((255, 0), (image[y * 8 + x], image[128 + y * 8 + x]));
            foreach (int x in new[] { 5, 6, 7 }) Assert.Equal((0, 255), (image[y * 8 + x], image[128 + y * 8 + x]));
        }
        set.ReadImage(1, image); // b.jpg, lossy: close to (0, 200, 0)
        Assert.All(image[..64], v => Assert.InRange(v, 0, 12));
        Assert.All(image[64..128], v => Assert.InRange(v, 188, 212));
        set.ReadImage(2, image); // c.png, 8×8 already: exact
        Assert.Equal(5 * 30, image[3 * 8 + 5]);
        Assert.Equal(3 * 30, image[64 + 3 * 8 + 5]);
        Assert.Equal(77, image[128 + 3 * 8 + 5]);
    }

    [Fact]
    public void ValidationFolderUsesTrainingClassesAndRejectsOthers()
    {
        using var dir = MakeTree();
        var set = ImageFolderDataset.Open(dir.Path, size: 8, classNames: ["dog", "cat"]);
        Assert.Equal([0, 1, 1], Enumerable.Range(0, 3).Select(set.Label)); // label, then name order: dog/c.PNG, cat/a.png, cat/b.jpg
        var unknown = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Open(dir.Path, size: 8, classNames: ["cat", "emu"]));
        Assert.Contains("not in training: dog", unknown.Message);
        Assert.Contains("missing here: emu", unknown.Message);
    }

    [Fact]
    public void EmptyOrMissingFoldersAreClearErrors()
    {
        using var dir = new TempDirectory();
        Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Open(dir.Path, size: 8));
        Directory.CreateDirectory(dir.File("only"));
        File.WriteAllBytes(dir.File("only/x.jpg"), [0, 1, 2]);
        var one = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Open(dir.Path, size: 8));
        Assert.Contains("one class folder, 'only'", one.Message);
        Directory.CreateDirectory(dir.File("empty"));
        var empty = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Open(dir.Path, size: 8));
        Assert.Contains("empty' holds no", empty.Message);
        File.WriteAllBytes(dir.File("empty/y.png"), [9, 9, 9]);
        var none = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Open(dir.Path, size: 8));
        Assert.Contains("2 skipped", none.Message);
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolderDataset.Open(dir.File("absent"), size: 8));
    }

    [Fact]
    public void DecoderRejectsGarbage()
    {
        Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeSquare(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, 8));
    }

    [Fact]
    public void AClassWithNoDecodableImageIsRefused()
    {
        using var dir = new TempDirectory();
        TestImages.Write(dir.Path, "cat/a.png", TestImages.Noise(8, 8, 1, SkiaSharp.SKEncodedImageFormat.Png));
        TestImages.Write(dir.Path, "dog/a.png", [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Open(dir.Path, size: 8));
        Assert.Contains("No image of class 'dog'", e.Message);
        Assert.Contains("every class needs images", e.Message);
    }
}
