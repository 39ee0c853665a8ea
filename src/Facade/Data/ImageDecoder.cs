using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace AlexNet.Facade;

/// <summary>
/// Decodes JPEG and PNG files with SkiaSharp and prepares them as the paper does: the shorter side scaled to
/// <c>size</c>, then the central <c>size</c>×<c>size</c> square kept, as planar RGB bytes. Other formats SkiaSharp
/// knows (GIF, BMP, WebP, ICO, …) are refused by name, whatever the file's extension, so that what is read is what the
/// documentation promises.
/// </summary>
/// <remarks>
/// Decoding is bounded: an image is decoded at the smallest scale its codec offers (JPEG: n/8, n = 1…8) that keeps the
/// shorter side ≥ <c>size</c>, which is faster and gives the same square after scaling; an image that would still need
/// more than <see cref="MaxDecodedPixels"/> pixels is decoded at the largest codec scale that fits the bound, and when its
/// format cannot scale while decoding (PNG) it is refused with its dimensions in the message. A declared size is never
/// allocated whole before that check.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>The most pixels one decode may allocate (2²⁶ = 67,108,864 pixels, 256 MiB of RGBA).</summary>
    public const long MaxDecodedPixels = 1L << 26;

    /// <summary>Decodes, scales and centre-crops an image file.</summary>
    /// <param name="path">A JPEG or PNG file.</param>
    /// <param name="size">Side of the square result (256 in the paper).</param>
    /// <returns>3 × size × size bytes, planar R, G, B.</returns>
    /// <exception cref="InvalidDataException">The file is not a decodable image, its data is incomplete, or it is too
    /// large to decode within <see cref="MaxDecodedPixels"/>.</exception>
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
    /// <exception cref="InvalidDataException">The bytes are not a decodable image, are incomplete, or are too large.</exception>
    public static byte[] DecodeSquare(byte[] encoded, int size, string source = "image")
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var result = new byte[3 * size * size];
        DecodeSquare(encoded, size, result, source);
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
        RequireJpegOrPng(codec, path);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>As <see cref="DecodeSquare(byte[], int, string)"/>, writing into <paramref name="destination"/>.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="size">Side of the square result.</param>
    /// <param name="destination">Receives 3 × size × size bytes, planar R, G, B.</param>
    /// <param name="source">A name for error messages.</param>
    /// <exception cref="ArgumentException">The destination is shorter than 3 × size × size.</exception>
    /// <exception cref="InvalidDataException">The bytes are not a decodable image, are incomplete, or are too large.</exception>
    public static void DecodeSquare(ReadOnlySpan<byte> encoded, int size, Span<byte> destination, string source = "image")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        int plane = size * size;
        if (destination.Length < 3 * plane)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; a {size}×{size} RGB image needs {3 * plane}.", nameof(destination));
        using var full = DecodeStrict(encoded, size, source);
        // The central square of the decoded image, scaled to size×size: the paper's "shorter side to size, centre kept"
        // without scaling the columns or rows that would be cut away.
        int side = Math.Min(full.Width, full.Height);
        int left = (full.Width - side) / 2, top = (full.Height - side) / 2;
        using var square = new SKBitmap();
        if (!full.ExtractSubset(square, new SKRectI(left, top, left + side, top + side)))
            throw new InvalidDataException($"'{source}' could not be cropped to its central {side}×{side} square.");
        // Bilinear; mipmaps (costly to build) only where the image shrinks by more than half, where bilinear alone aliases.
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, 2 * size < side ? SKMipmapMode.Linear : SKMipmapMode.None);
        using var scaled = side == size ? null
            : square.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul), sampling)
              ?? throw new InvalidDataException($"'{source}' could not be scaled to {size}×{size}.");
        var result = scaled ?? square;
        var rgba = result.GetPixelSpan();
        int rowBytes = result.RowBytes;
        for (int y = 0; y < size; y++)
        {
            var row = MemoryMarshal.Cast<byte, uint>(rgba.Slice(y * rowBytes, size * 4));
            var r = destination.Slice(y * size, size);
            var g = destination.Slice(plane + y * size, size);
            var b = destination.Slice(2 * plane + y * size, size);
            for (int x = 0; x < size; x++)
            {
                uint p = BitConverter.IsLittleEndian ? row[x] : BinaryPrimitives.ReverseEndianness(row[x]); // R, G, B, A in memory
                r[x] = (byte)p;
                g[x] = (byte)(p >> 8);
                b[x] = (byte)(p >> 16);
            }
        }
    }

    /// <summary>
    /// The dimensions to decode an image of <paramref name="full"/> dimensions at: the smallest codec scale whose
    /// shorter side is still ≥ <paramref name="size"/>, then, if that exceeds <see cref="MaxDecodedPixels"/>, the
    /// largest codec scale within the bound.
    /// </summary>
    /// <param name="full">The declared dimensions.</param>
    /// <param name="scaled">The codec's dimensions at a scale in (0, 1] (the full dimensions where it cannot scale).</param>
    /// <param name="size">Side of the square wanted.</param>
    /// <param name="source">A name for error messages.</param>
    /// <exception cref="InvalidDataException">No codec scale fits the bound.</exception>
    internal static SKSizeI DecodeDimensions(SKSizeI full, Func<float, SKSizeI> scaled, int size, string source)
    {
        if (full.Width < 1 || full.Height < 1) throw new InvalidDataException($"'{source}' has an empty image size ({full.Width}×{full.Height}).");
        var best = full;
        for (int n = 1; n < 8; n++)
        {
            var d = scaled(n / 8f);
            if (d.Width >= 1 && d.Height >= 1 && Math.Min(d.Width, d.Height) >= size && Pixels(d) < Pixels(best))
            {
                best = d;
                break;
            }
        }
        if (Pixels(best) <= MaxDecodedPixels) return best;
        for (int n = 7; n >= 1; n--)
        {
            var d = scaled(n / 8f);
            if (d.Width >= 1 && d.Height >= 1 && Pixels(d) <= MaxDecodedPixels) return d;
        }
        throw new InvalidDataException(
            $"'{source}' is {full.Width}×{full.Height} ({Pixels(full):N0} pixels), more than the {MaxDecodedPixels:N0} one decode may allocate, and its format cannot be scaled down while decoding; reduce it first (e.g. to at most 8192×8192).");
    }

    /// <summary>Refuses every format but JPEG and PNG, naming it.</summary>
    private static void RequireJpegOrPng(SKCodec codec, string source)
    {
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png))
            throw new InvalidDataException($"'{source}' is a {codec.EncodedFormat.ToString().ToUpperInvariant()} image; only JPEG and PNG are read (convert it first).");
    }

    private static long Pixels(SKSizeI d) => (long)d.Width * d.Height;

    /// <summary>Decodes to RGBA (unpremultiplied) at the dimensions <see cref="DecodeDimensions"/> chooses; incomplete or
    /// unrecognised data is an error rather than a partial image.</summary>
    private static SKBitmap DecodeStrict(ReadOnlySpan<byte> encoded, int size, string source)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"'{source}' is not a recognised image (JPEG or PNG expected).");
        RequireJpegOrPng(codec, source);
        var dims = DecodeDimensions(new SKSizeI(codec.Info.Width, codec.Info.Height), codec.GetScaledDimensions, size, source);
        var info = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
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
