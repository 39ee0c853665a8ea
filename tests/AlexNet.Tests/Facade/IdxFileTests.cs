using System.Buffers.Binary;
using System.IO.Compression;
using AlexNet.Facade;
using Xunit;
using static AlexNet.Tests.Shared.IdxBytes;

namespace AlexNet.Tests.Facade;

public sealed class IdxFileTests
{
    private static byte[] Pixels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 7 % 256)).ToArray();

    [Fact]
    public void ReadsRawAndGzipImagesIdentically()
    {
        using var dir = new TempDirectory();
        var pixels = Pixels(3 * 4 * 5);
        var bytes = Idx(IdxFile.ImageMagic, [3, 4, 5], pixels);
        File.WriteAllBytes(dir.File("raw"), bytes);
        WriteGzip(dir.File("packed.gz"), bytes);
        foreach (var name in new[] { "raw", "packed.gz" })
        {
            var idx = IdxFile.Read(dir.File(name), IdxFile.ImageMagic);
            Assert.Equal([3, 4, 5], idx.Dimensions);
            Assert.Equal(pixels, idx.Data);
        }
    }

    [Fact]
    public void RejectsWrongMagic()
    {
        var bytes = Idx(IdxFile.LabelMagic, [4], [1, 2, 3, 4]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Parse(bytes, IdxFile.ImageMagic, "labels"));
        Assert.Contains("0x00000801", e.Message);
        Assert.Contains("0x00000803", e.Message);
    }

    [Fact]
    public void RejectsTruncatedAndOverlongData()
    {
        var full = Idx(IdxFile.ImageMagic, [2, 3, 3], Pixels(18));
        var truncated = Assert.Throws<InvalidDataException>(() => IdxFile.Parse(full.AsSpan(0, full.Length - 1), IdxFile.ImageMagic));
        Assert.Contains("truncated", truncated.Message);
        var longer = Assert.Throws<InvalidDataException>(() => IdxFile.Parse([.. full, 0], IdxFile.ImageMagic));
        Assert.Contains("longer", longer.Message);
        Assert.Throws<InvalidDataException>(() => IdxFile.Parse(full.AsSpan(0, 9), IdxFile.ImageMagic)); // inside the header
        Assert.Throws<InvalidDataException>(() => IdxFile.Parse(full.AsSpan(0, 2), IdxFile.ImageMagic));
    }

    [Fact]
    public void RejectsNonPositiveDimension()
    {
        var bytes = Idx(IdxFile.ImageMagic, [0, 3, 3], []);
        Assert.Throws<InvalidDataException>(() => IdxFile.Parse(bytes, IdxFile.ImageMagic));
    }

    [Fact]
    public void RejectsTruncatedGzipFile()
    {
        using var dir = new TempDirectory();
        WriteGzip(dir.File("a.gz"), Idx(IdxFile.ImageMagic, [10, 8, 8], Pixels(640)));
        var packed = File.ReadAllBytes(dir.File("a.gz"));
        File.WriteAllBytes(dir.File("cut.gz"), packed[..(packed.Length / 2)]);
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(dir.File("cut.gz"), IdxFile.ImageMagic));
    }

    [Fact]
    public void MissingFileThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => IdxFile.Read("/nonexistent/idx", IdxFile.ImageMagic));
    }

    [Fact]
    public void FashionMnistPairLoadsAndChecksCounts()
    {
        using var dir = new TempDirectory();
        var pixels = Pixels(3 * 28 * 28);
        WriteGzip(dir.File("img.gz"), Idx(IdxFile.ImageMagic, [3, 28, 28], pixels));
        File.WriteAllBytes(dir.File("lab"), Idx(IdxFile.LabelMagic, [3], [9, 0, 4]));
        var set = FashionMnist.LoadPair(dir.Path, "img", "lab");
        Assert.Equal(3, set.Count);
        Assert.Equal((1, 28, 28), (set.Channels, set.Height, set.Width));
        Assert.Equal([9, 0, 4], Enumerable.Range(0, 3).Select(set.Label));
        var image = new byte[28 * 28];
        set.ReadImage(2, image);
        Assert.Equal(pixels[(2 * 784)..], image);

        File.WriteAllBytes(dir.File("lab2"), Idx(IdxFile.LabelMagic, [2], [1, 2]));
        var mismatch = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadPair(dir.Path, "img", "lab2"));
        Assert.Contains("3 images", mismatch.Message);
        File.WriteAllBytes(dir.File("lab3"), Idx(IdxFile.LabelMagic, [3], [1, 10, 2]));
        Assert.Throws<InvalidDataException>(() => FashionMnist.LoadPair(dir.Path, "img", "lab3"));
        WriteGzip(dir.File("small.gz"), Idx(IdxFile.ImageMagic, [3, 27, 28], Pixels(3 * 27 * 28)));
        Assert.Throws<InvalidDataException>(() => FashionMnist.LoadPair(dir.Path, "small", "lab"));
    }

    [Fact]
    public void MissingFashionMnistSaysHowToInstall()
    {
        using var dir = new TempDirectory();
        Assert.False(FashionMnist.IsPresent(dir.Path));
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains("apt-get install -y dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void AGzipFileDeclaringMoreThanItsTrailerRecordsIsRefusedFromTheHeader()
    {
        using var dir = new TempDirectory();
        WriteGzip(dir.File("short.gz"), Idx(IdxFile.ImageMagic, [45, 8, 8], Pixels(40 * 64)));
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadHeader(dir.File("short.gz"), IdxFile.ImageMagic));
        Assert.Contains("declares 45×8×8 = 2880 values (2896 bytes with the header), but its gzip trailer records 2576 bytes", e.Message);
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(dir.File("short.gz"), IdxFile.ImageMagic));
        WriteGzip(dir.File("long.gz"), Idx(IdxFile.ImageMagic, [3, 8, 8], Pixels(4 * 64)));
        Assert.Contains("gzip trailer records", Assert.Throws<InvalidDataException>(() => IdxFile.ReadHeader(dir.File("long.gz"), IdxFile.ImageMagic)).Message);
    }

    [Fact]
    public void AGzipFileDeclaringMoreThanItCouldHoldIsRefusedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        WriteGzip(dir.File("huge.gz"), Idx(IdxFile.ImageMagic, [300_000, 28, 28], Pixels(784)));
        // This thread's allocations only: other tests run in parallel and allocate too (reading runs on this thread).
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(dir.File("huge.gz"), IdxFile.ImageMagic));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "the declared 235 MB were allocated");
        Assert.Contains("declares 300000×28×28 = 235200000 values, more than a", e.Message);
    }

    [Fact]
    public void ARawFileIsCheckedAgainstItsSizeFromTheHeaderAlone()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("raw"), Idx(IdxFile.ImageMagic, [300_000, 28, 28], Pixels(784)));
        var header = Assert.Throws<InvalidDataException>(() => IdxFile.ReadHeader(dir.File("raw"), IdxFile.ImageMagic));
        Assert.Contains("declares 300000×28×28 = 235200000 values but holds 784 (the file is truncated)", header.Message);
        File.WriteAllBytes(dir.File("ok"), Idx(IdxFile.LabelMagic, [3], [1, 2, 3]));
        var ok = IdxFile.ReadHeader(dir.File("ok"), IdxFile.LabelMagic);
        Assert.Equal((3L, 8, false), (ok.Count, ok.Length, ok.Compressed));
        Assert.Equal([1, 2, 3], IdxFile.Read(ok).Data);
    }

    [Fact]
    public void FashionMnistComparesTheHeadersBeforeReadingAnyPixel()
    {
        using var dir = new TempDirectory();
        // Images whose header agrees with their (zero, highly compressible) content, 60,000 of them (47 MB), and labels for 3.
        WriteGzip(dir.File("img.gz"), Idx(IdxFile.ImageMagic, [60_000, 28, 28], new byte[60_000 * 784]));
        File.WriteAllBytes(dir.File("lab"), Idx(IdxFile.LabelMagic, [3], [9, 0, 4]));
        // This thread's allocations only: other tests run in parallel and allocate too (reading runs on this thread).
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadPair(dir.Path, "img", "lab"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "the images were read before the counts were compared");
        Assert.Contains("holds 60000 images but", e.Message);
    }
}
