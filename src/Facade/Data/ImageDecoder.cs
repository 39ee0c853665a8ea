using SkiaSharp;

namespace AlexNet.Facade.Data;

/// <summary>
/// Decodes JPEG and PNG files with SkiaSharp and prepares them as the paper does: the shorter side scaled to
/// <c>size</c>, then the central <c>size</c>×<c>size</c> square kept, as planar RGB bytes.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes, scales and centre-crops an image file.</summary>
    /// <param name="path">A JPEG or PNG file.</param>
    /// <param name="size">Side of the square result (256 in the paper).</param>
    /// <returns>3 × size × size bytes, planar R, G, B.</returns>
    /// <exception cref="InvalidDataException">The file is not a decodable image or its data is incomplete.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static byte[] DecodeSquare(string path, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        byte[] encoded = File.ReadAllBytes(path);
        return DecodeSquare(encoded, size, path);
    }

    /// <summary>As <see cref="DecodeSquare(string, int)"/> for an image already in memory.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="size">Side of the square result.</param>
    /// <param name="source">A name for error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not a decodable image or are incomplete.</exception>
    public static byte[] DecodeSquare(byte[] encoded, int size, string source = "image")
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var full = DecodeStrict(encoded, source);
        int w = full.Width, h = full.Height;
        double scale = (double)size / Math.Min(w, h);
        int sw = Math.Max(size, (int)Math.Round(w * scale)), sh = Math.Max(size, (int)Math.Round(h * scale));
        using var scaled = (sw == w && sh == h)
            ? full.Copy()
            : full.Resize(new SKImageInfo(sw, sh, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
              ?? throw new InvalidDataException($"'{source}' could not be scaled to {sw}×{sh}.");
        int top = (sh - size) / 2, left = (sw - size) / 2;
        var rgba = scaled.GetPixelSpan();
        int rowBytes = scaled.RowBytes;
        var result = new byte[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++)
        {
            var row = rgba.Slice((top + y) * rowBytes + left * 4, size * 4);
            for (int x = 0; x < size; x++)
            {
                result[y * size + x] = row[4 * x];
                result[plane + y * size + x] = row[4 * x + 1];
                result[2 * plane + y * size + x] = row[4 * x + 2];
            }
        }
        return result;
    }

    /// <summary>The width and height an image file declares, read from its header without decoding the pixels.</summary>
    /// <exception cref="InvalidDataException">The file is not a recognised image.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (int Width, int Height) Dimensions(string path)
    {
        using var stream = File.OpenRead(path);
        using var codec = SKCodec.Create(stream)
            ?? throw new InvalidDataException($"'{path}' is not a recognised image (JPEG or PNG expected).");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes to RGBA (unpremultiplied); incomplete or unrecognised data is an error rather than a partial image.</summary>
    private static SKBitmap DecodeStrict(byte[] encoded, string source)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"'{source}' is not a recognised image (JPEG or PNG expected).");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width < 1 || info.Height < 1) throw new InvalidDataException($"'{source}' has an empty image size.");
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException($"'{source}' could not be decoded ({result}).");
        }
        return bitmap;
    }
}
