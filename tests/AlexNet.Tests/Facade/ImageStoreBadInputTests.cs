using System.Buffers.Binary;
using AlexNet.Facade;
using SkiaSharp;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class ImageStoreBadInputTests
{
    private const int Count = 3, Side = 4, Record = 3 * Side * Side;

    /// <summary>A valid store of three 3×4×4 images; returns its bytes.</summary>
    private static byte[] WriteValid(string path)
    {
        using var writer = new ImageStoreWriter(path, 3, Side, Side, ["a", "b"]);
        for (int i = 0; i < Count; i++) writer.Add(Enumerable.Repeat((byte)i, Record).ToArray(), i % 2, $"a/{i}.png");
        writer.AddSkipped(new SkippedImage("b/x.jpg", "not an image"));
        writer.Commit();
        return File.ReadAllBytes(path);
    }

    private static string OpenFails(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ImageStore.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        return e.Message;
    }

    private static byte[] Patched(byte[] bytes, Action<byte[]> patch)
    {
        var copy = (byte[])bytes.Clone();
        patch(copy);
        return copy;
    }

    [Fact]
    public void DamagedFilesAreRefusedWithTheFileAndTheProblem()
    {
        using var dir = new TempDirectory();
        var good = WriteValid(dir.File("good.store"));
        using (var store = ImageStore.Open(dir.File("good.store")))
            Assert.Equal(("b/x.jpg", 3), (store.Skipped.Single().Path, store.Count));
        string bad = dir.File("bad.store");
        long labelsAt = 128 + Count * Record, indexAt = labelsAt + 4 * Count + 2 * (4 + 1);

        Assert.Contains("truncated", OpenFails(bad, good[..^5]));
        Assert.Contains("truncated", OpenFails(bad, good[..60]));
        Assert.Contains("longer than", OpenFails(bad, [.. good, 0]));
        Assert.Contains("not an image store", OpenFails(bad, []));
        Assert.Contains("not an image store", OpenFails(bad, Patched(good, b => b[0] = (byte)'X')));
        Assert.Contains("not an image store", OpenFails(bad, TestImages.Noise(4, 4, 1, SKEncodedImageFormat.Png)));
        Assert.Contains("version 2", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), 2))));
        Assert.Contains("disagrees", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(28), Count + 1))));
        Assert.Contains("more than", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(28), int.MaxValue))));
        Assert.Contains("channels", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), 2))));
        Assert.Contains("label 7", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)labelsAt + 4), 7))));
        Assert.Contains("label -1", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)labelsAt), -1))));
        Assert.Contains("index entry 2", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan((int)indexAt + 16), 999))));
        Assert.Contains("class names", OpenFails(bad, Patched(good, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)labelsAt + 4 * Count), 50))));
        Assert.Throws<FileNotFoundException>(() => ImageStore.Open(dir.File("missing.store")));
    }

    [Fact]
    public void ReadsOutsideTheStoreOrAfterDisposeThrow()
    {
        using var dir = new TempDirectory();
        WriteValid(dir.File("s.store"));
        var store = ImageStore.Open(dir.File("s.store"));
        var image = new byte[Record];
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ReadImage(Count, image));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ReadImage(-1, image));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Label(Count));
        Assert.Throws<ArgumentException>(() => store.ReadImage(0, new byte[Record - 1]));
        store.ReadImage(2, image);
        Assert.All(image, v => Assert.Equal(2, v));
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.ReadImage(0, image));
    }

    [Fact]
    public void WriterRefusesBadRecordsAndLeavesNothingWithoutCommit()
    {
        using var dir = new TempDirectory();
        using (var writer = new ImageStoreWriter(dir.File("w.store"), 3, Side, Side, ["a", "b"]))
        {
            Assert.Throws<ArgumentException>(() => writer.Add(new byte[Record - 1], 0, "x"));
            Assert.Throws<ArgumentException>(() => writer.Add(new byte[Record], 2, "x"));
            writer.Add(new byte[Record], 1, "x");
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
        Assert.Throws<ArgumentException>(() => new ImageStoreWriter(dir.File("w.store"), 2, Side, Side, ["a"]));
        Assert.Throws<ArgumentException>(() => new ImageStoreWriter(dir.File("w.store"), 3, Side, Side, []));
    }

    [Fact]
    public void AFailedPrepareKeepsTheExistingStore()
    {
        using var dir = ImageStoreTests.MakeTree();
        ImageStore.Prepare(dir.File("src"), dir.File("train.store"), size: 8);
        var before = File.ReadAllBytes(dir.File("train.store"));
        TestImages.Write(dir.Path, "junk/a/1.jpg", [1, 2, 3]);
        TestImages.Write(dir.Path, "junk/b/2.png", [4, 5, 6]);
        var e = Assert.Throws<InvalidDataException>(() => ImageStore.Prepare(dir.File("junk"), dir.File("train.store"), size: 8));
        Assert.Contains("no decodable image", e.Message);
        Assert.Equal(before, File.ReadAllBytes(dir.File("train.store")));
        Assert.Equal(["train.store"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void BadFoldersAreNamed()
    {
        using var dir = new TempDirectory();
        var png = TestImages.Noise(4, 4, 1, SKEncodedImageFormat.Png);
        TestImages.Write(dir.Path, "one/only/a.png", png);
        var e = Assert.Throws<InvalidDataException>(() => ImageStore.Prepare(dir.File("one"), dir.File("x.store"), 4));
        Assert.Contains("one class folder, 'only'", e.Message);

        TestImages.Write(dir.Path, "train/a/1.png", png);
        TestImages.Write(dir.Path, "train/b/2.png", png);
        Directory.CreateDirectory(dir.File("train/c"));
        e = Assert.Throws<InvalidDataException>(() => ImageStore.Prepare(dir.File("train"), dir.File("x.store"), 4));
        Assert.Contains(Path.Combine(dir.Path, "train", "c"), e.Message);
        Assert.Contains("no .jpg", e.Message);

        TestImages.Write(dir.Path, "test/a/1.png", png);
        TestImages.Write(dir.Path, "test/z/2.png", png);
        e = Assert.Throws<InvalidDataException>(() => ImageStore.Prepare(dir.File("test"), dir.File("x.store"), 4, classNames: ["a", "b"]));
        Assert.Contains("not in training: z", e.Message);
        Assert.Contains("missing here: b", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => ImageStore.Prepare(dir.File("nope"), dir.File("x.store"), 4));
        Assert.False(File.Exists(dir.File("x.store")));
    }
}
