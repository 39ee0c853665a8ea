using AlexNet.Tests.Shared;
using Xunit;

namespace AlexNet.Cli.Tests;

/// <summary>Bad data: missing, damaged or unusable data sets are one <c>error:</c> line with exit code 1 (2 when an
/// option does not fit the data), before anything is trained.</summary>
public sealed class DataErrorTests
{
    private static string[] Train(string fashion, params string[] more) =>
        ["train", "--fashion-dir", fashion, "--towers", "1", "-e", "1", "--threads", "1", .. more,
         .. more.Contains("--validation") ? Array.Empty<string>() : ["--validation", "10"], .. more.Contains("-b") ? Array.Empty<string>() : ["-b", "10"]];

    [Fact]
    public void MissingFashionFilesSayWhereTheyWereLookedFor()
    {
        using var dir = new TempFolder();
        Cli.Fails(1, Train(dir.Path, "-o", dir["run"]), $"Fashion-MNIST is not in '{dir.Path}'");
    }

    [Fact]
    public void BatchLargerThanTheTrainingSetIsAnArgumentError()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        var r = Cli.Fails(2, Train(dir["fm"], "-o", dir["run"], "-b", "100000"), "--batch-size 100000 is larger than the 30 training images; use at most 30");
        Assert.DoesNotContain("statistics", r.Output); // found before any work
    }

    [Fact]
    public void ValidationAsLargeAsTheTrainingSetIsRefused()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        Cli.Fails(2, Train(dir["fm"], "-o", dir["run"], "--validation", "40"), "--validation must be in [0, 40), got 40");
    }

    [Fact]
    public void ImageAndLabelCountsThatDisagreeAreFoundFromTheHeaders()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        IdxBytes.WriteGzip(dir["fm/train-labels-idx1-ubyte.gz"], IdxBytes.Idx(0x801, [39], new byte[39]));
        Cli.Fails(1, Train(dir["fm"], "-o", dir["run"]), "holds 40 images but", "holds 39 labels");
    }

    [Fact]
    public void AHeaderDeclaringMoreImagesThanTheGzipHoldsIsRefusedBeforeAllocating()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        // 300,000 images declared (235 MB), 40 present; the labels agree with the header, so only the file size can tell.
        var header = IdxBytes.Idx(0x803, [300_000, 28, 28], TinyData.Pixels([.. Enumerable.Range(0, 40).Select(i => i % 10)], 1));
        IdxBytes.WriteGzip(dir["fm/train-images-idx3-ubyte.gz"], header);
        IdxBytes.WriteGzip(dir["fm/train-labels-idx1-ubyte.gz"], IdxBytes.Idx(0x801, [300_000], new byte[300_000]));
        // This thread's allocations only: other tests run in parallel and allocate too (reading runs on this thread).
        long before = GC.GetAllocatedBytesForCurrentThread();
        Cli.Fails(1, Train(dir["fm"], "-o", dir["run"]), "declares 300000×28×28 = 235200000 values, more than a", "gzip file can hold");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000_000, "the declared size was allocated");
    }

    [Fact]
    public void AGzipIdxFileShorterThanItsHeaderIsFoundFromItsTrailer()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        IdxBytes.WriteGzip(dir["fm/train-images-idx3-ubyte.gz"], IdxBytes.Idx(0x803, [45, 28, 28], new byte[40 * 784]));
        IdxBytes.WriteGzip(dir["fm/train-labels-idx1-ubyte.gz"], IdxBytes.Idx(0x801, [45], new byte[45]));
        Cli.Fails(1, Train(dir["fm"], "-o", dir["run"]), "declares 45×28×28 = 35280 values (35296 bytes with the header), but its gzip trailer records 31376 bytes");
    }

    [Fact]
    public void ATruncatedRawIdxFileIsRefused()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        File.Delete(dir["fm/t10k-images-idx3-ubyte.gz"]);
        File.WriteAllBytes(dir["fm/t10k-images-idx3-ubyte"], IdxBytes.Idx(0x803, [20, 28, 28], new byte[20 * 784 - 5]));
        Cli.Fails(1, Train(dir["fm"], "-o", dir["run"]), "t10k-images-idx3-ubyte' declares 20×28×28 = 15680 values but holds 15675 (the file is truncated)");
    }

    [Fact]
    public void AWrongMagicNumberIsRefused()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        IdxBytes.WriteGzip(dir["fm/train-labels-idx1-ubyte.gz"], IdxBytes.Idx(0x803, [40, 1, 1], new byte[40]));
        Cli.Fails(1, Train(dir["fm"], "-o", dir["run"]), "has magic number 0x00000803, expected 0x00000801");
    }

    [Fact]
    public void AFolderWithOneClassIsRefused()
    {
        using var dir = new TempFolder();
        TinyData.Folder(dir["img"], ["cat"], 4);
        Cli.Fails(1, ["train", "--data", dir["img"], "-o", dir["run"], "--validation", "1"], "has one class folder, 'cat'; a classifier needs at least two");
    }

    [Fact]
    public void AnEmptyClassFolderIsRefused()
    {
        using var dir = new TempFolder();
        TinyData.Folder(dir["img"], ["cat", "dog"], 4);
        Directory.CreateDirectory(dir["img/train/emu"]);
        Cli.Fails(1, ["train", "--data", dir["img"], "-o", dir["run"], "--validation", "1"], "emu' holds no .jpg/.jpeg/.png image");
    }

    [Fact]
    public void AClassWhoseImagesDoNotDecodeIsRefused()
    {
        using var dir = new TempFolder();
        TinyData.Folder(dir["img"], ["cat", "dog"], 4);
        Directory.CreateDirectory(dir["img/train/emu"]);
        File.WriteAllBytes(dir["img/train/emu/a.png"], TinyData.Gif()); // a GIF named .png
        File.WriteAllText(dir["img/train/emu/b.jpg"], "not an image");
        Directory.CreateDirectory(dir["img/test/emu"]);
        File.WriteAllBytes(dir["img/test/emu/a.png"], TinyData.Png(32, 32, 3));
        Cli.Fails(1, ["train", "--data", dir["img"], "-o", dir["run"], "--validation", "1"], "No image of class 'emu'", "decodes", "is a GIF image; only JPEG and PNG are read");
    }

    [Fact]
    public void AFolderWithoutTrainIsRefused()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir["img/photos"]);
        Cli.Fails(1, ["train", "--data", dir["img"], "-o", dir["run"]], "must hold a train/ sub-folder");
    }

    [Fact]
    public void PrepareRefusesAnOutputThatIsAFile()
    {
        using var dir = new TempFolder();
        TinyData.Folder(dir["img"], ["cat", "dog"], 2);
        File.WriteAllText(dir["out"], "");
        Cli.Fails(2, ["prepare", "--data", dir["img"], "-o", dir["out"]], "--output", "is a file");
    }

    [Fact]
    public void PrepareRefusesAMissingFolder()
    {
        using var dir = new TempFolder();
        Cli.Fails(2, ["prepare", "--data", dir["none"], "-o", dir["out"]], "is not a folder");
    }
}
