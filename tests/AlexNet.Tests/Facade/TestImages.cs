using System.Buffers.Binary;
using SkiaSharp;

namespace AlexNet.Tests.Facade;

/// <summary>Small encoded images for data tests, made with SkiaSharp, and hand-made headers declaring huge images.</summary>
internal static class TestImages
{
    public static byte[] Encode(int width, int height, Func<int, int, SKColor> color, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, color(x, y));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>A pseudo-random colourful image (seeded).</summary>
    public static byte[] Noise(int width, int height, int seed, SKEncodedImageFormat format)
    {
        var random = new Random(seed);
        var colours = Enumerable.Range(0, width * height).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        return Encode(width, height, (x, y) => colours[y * width + x], format);
    }

    /// <summary>root/&lt;class&gt;/ folders with the given files.</summary>
    public static void Write(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A valid PNG signature and IHDR declaring <paramref name="side"/>² RGB pixels, then a tiny IDAT and IEND.</summary>
    public static byte[] HugePngHeader(int side)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, side);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), side);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        Chunk(stream, "IHDR", ihdr);
        Chunk(stream, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>A real small JPEG whose frame header is patched to declare <paramref name="side"/>² pixels.</summary>
    public static byte[] HugeJpegHeader(int side)
    {
        var jpeg = Noise(16, 16, 1, SKEncodedImageFormat.Jpeg);
        for (int i = 0; i + 9 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), (ushort)side);
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), (ushort)side);
                return jpeg;
            }
        throw new InvalidOperationException("The encoder wrote no frame header.");
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        stream.Write(four);
        var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(body));
        stream.Write(four);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
