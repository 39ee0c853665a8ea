using System.Buffers.Binary;
using System.IO.Compression;

namespace AlexNet.Facade.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST, gzip-compressed or raw (detected from the first two bytes).
/// </summary>
/// <remarks>
/// Layout: a big-endian 32-bit magic number whose first two bytes are zero, third byte the element type (0x08 for
/// unsigned bytes, the only type these data sets use) and fourth byte the number of dimensions; then each dimension
/// size as a big-endian int32; then the values. Images are magic 0x00000803 ([N, rows, cols]) and labels 0x00000801
/// ([N]). Every check failure throws <see cref="InvalidDataException"/> naming the file and what is wrong.
/// </remarks>
public static class IdxFile
{
    /// <summary>Magic number of an image file: unsigned bytes, three dimensions.</summary>
    public const int ImageMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, one dimension.</summary>
    public const int LabelMagic = 0x00000801;

    /// <summary>Reads an IDX file and checks that its magic number is <paramref name="expectedMagic"/>.</summary>
    /// <param name="path">The file, gzip-compressed or raw.</param>
    /// <param name="expectedMagic"><see cref="ImageMagic"/>, <see cref="LabelMagic"/> or another unsigned-byte magic.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The magic number is wrong, a dimension is not positive, or the file holds
    /// fewer or more values than its header declares (including a damaged gzip stream).</exception>
    public static IdxArray Read(string path, int expectedMagic)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        byte[] bytes;
        try
        {
            bytes = ReadAllBytesDecompressed(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"IDX file '{path}' is not a valid gzip stream: {e.Message}", e);
        }
        return Parse(bytes, expectedMagic, path);
    }

    /// <summary>Parses the bytes of an (uncompressed) IDX file.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="expectedMagic">The magic number the file must have.</param>
    /// <param name="source">A name for error messages (usually the path).</param>
    /// <exception cref="InvalidDataException">See <see cref="Read"/>.</exception>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, int expectedMagic, string source = "IDX data")
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"'{source}' is {bytes.Length} bytes long, too short for an IDX header.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw new InvalidDataException($"'{source}' has magic number 0x{magic:X8}, expected 0x{expectedMagic:X8}.");
        int rank = magic & 0xFF;
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"'{source}' ends inside its header ({bytes.Length} bytes, header needs {headerLength}).");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * i)..]);
            if (dims[i] <= 0)
                throw new InvalidDataException($"'{source}' declares dimension {i} as {dims[i]}; every dimension must be positive.");
            count *= dims[i];
            if (count > Array.MaxLength)
                throw new InvalidDataException($"'{source}' declares more values than fit in memory.");
        }
        long actual = bytes.Length - headerLength;
        if (actual != count)
            throw new InvalidDataException(
                $"'{source}' declares {string.Join("×", dims)} = {count} values but holds {actual} (the file is {(actual < count ? "truncated" : "longer than its header says")}).");
        return new IdxArray(dims, bytes[headerLength..].ToArray());
    }

    private static byte[] ReadAllBytesDecompressed(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        int read = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        file.Position = 0;
        using var output = new MemoryStream();
        if (read == 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            gzip.CopyTo(output);
        }
        else file.CopyTo(output);
        return output.ToArray();
    }
}
