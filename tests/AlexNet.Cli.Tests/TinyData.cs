using System.Buffers.Binary;
using System.IO.Compression;
using AlexNet.Autograd;
using AlexNet.Facade;
using AlexNet.Layers;
using AlexNet.Tests.Shared;
using SkiaSharp;

namespace AlexNet.Cli.Tests;

/// <summary>Small generated inputs for the command line: Fashion-MNIST-shaped IDX files, PNG class folders, other image
/// formats, and checkpoints made directly through the library (no training).</summary>
internal static class TinyData
{
    /// <summary>28×28 images whose brightness depends on the label (so a network can learn something), seeded.</summary>
    public static byte[] Pixels(int[] labels, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[labels.Length * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)Math.Clamp(labels[i / 784] * 25 + random.Next(-20, 21), 0, 255);
        return pixels;
    }

    /// <summary>The four Fashion-MNIST files (gzip) with <paramref name="train"/> and <paramref name="test"/> images.</summary>
    public static string Fashion(string folder, int train = 40, int test = 20)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, n) in new[] { ("train", train), ("t10k", test) })
        {
            int[] labels = [.. Enumerable.Range(0, n).Select(i => i % 10)];
            IdxBytes.WriteGzip(Path.Combine(folder, $"{name}-images-idx3-ubyte.gz"), IdxBytes.Idx(0x803, [n, 28, 28], Pixels(labels, n)));
            IdxBytes.WriteGzip(Path.Combine(folder, $"{name}-labels-idx1-ubyte.gz"), IdxBytes.Idx(0x801, [n], [.. labels.Select(l => (byte)l)]));
        }
        return folder;
    }

    /// <summary>A PNG of one colour with a little seeded noise.</summary>
    public static byte[] Png(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, new SKColor((byte)(seed * 40), (byte)random.Next(256), 90));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 90);
        return data.ToArray();
    }

    /// <summary>root/&lt;split&gt;/&lt;class&gt;/i.png for every split and class.</summary>
    public static string Folder(string root, string[] classes, int perClass, int size = 32, params string[] splits)
    {
        foreach (var split in splits.Length > 0 ? splits : ["train", "test"])
            for (int c = 0; c < classes.Length; c++)
            {
                var folder = Path.Combine(root, split, classes[c]);
                Directory.CreateDirectory(folder);
                for (int i = 0; i < perClass; i++) File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), Png(size, size, c + 1));
            }
        return root;
    }

    /// <summary>A 2×2 24-bit BMP.</summary>
    public static byte[] Bmp()
    {
        var bytes = new byte[54 + 16];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), 2);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), 2);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), 16);
        for (int i = 54; i < bytes.Length; i++) bytes[i] = 200;
        return bytes;
    }

    /// <summary>A 1×1 GIF (header, logical screen, two-colour table, image descriptor, LZW data, trailer).</summary>
    public static byte[] Gif() =>
    [
        .. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0,
        0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0, 0x3B,
    ];

    /// <summary>A PNG signature and IHDR declaring <paramref name="side"/>² pixels (a tiny file that would decode huge).</summary>
    public static byte[] HugePng(int side)
    {
        var png = Png(2, 2, 1);
        // The IHDR data starts at byte 16 (8-byte signature, 4-byte length, 4-byte type); patch width and height and its CRC.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), side);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), side);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>A training checkpoint of an untrained single-tower fashion network for 28×28 grey images, written
    /// through the library: <paramref name="classes"/> as its class names (which may disagree with its outputs when
    /// <paramref name="outputs"/> is given), and NaN weights in conv1 when asked.</summary>
    public static string Checkpoint(string path, string[] classes, bool nanWeights = false, int? outputs = null,
                                    Func<TrainingState, TrainingState>? state = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var network = Presets.AlexNetFashion(1, 28, outputs ?? classes.Length, 1);
        var options = new TrainingOptions { Augmentation = AugmentationOptions.None(28), Epochs = 1, BatchSize = 2 };
        var parameters = network.Init(RandomKeys.Initialisation(RandomKeys.Root(1)));
        if (nanWeights)
        {
            var name = parameters.Keys.First();
            var shape = parameters[name].Shape;
            parameters = parameters.SetItem(name, Tensor.FromArray([.. Enumerable.Repeat(float.NaN, parameters[name].Count)], shape));
        }
        int[] labels = [.. Enumerable.Range(0, 4).Select(i => i % Math.Max(1, classes.Length))];
        var images = new InMemoryImageDataset(Pixels(labels, 3), labels, 1, 28, 28, classes.Length > 0 ? classes : ["a"]);
        var statistics = DatasetStatistics.Compute(images, 1);
        var start = TrainingState.Start(parameters, options);
        TrainingCheckpoint.Save(path, new TrainingRun(network, state is null ? start : state(start), options, statistics, classes, metadata));
        return path;
    }

    /// <summary>A 28×28 grey PNG file.</summary>
    public static string PngFile(string path, int seed = 1)
    {
        File.WriteAllBytes(path, Png(28, 28, seed));
        return path;
    }
}
