using System.Buffers.Binary;
using System.IO.Compression;

namespace AlexNet.Facade;

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

    /// <summary>The most a deflate stream can expand (1032:1), which bounds what a gzip file of a given size can hold.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads an IDX file and checks that its magic number is <paramref name="expectedMagic"/>. The header is
    /// checked against the file's size (<see cref="ReadHeader"/>) before the values are allocated.</summary>
    /// <param name="path">The file, gzip-compressed or raw.</param>
    /// <param name="expectedMagic"><see cref="ImageMagic"/>, <see cref="LabelMagic"/> or another unsigned-byte magic.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The magic number is wrong, a dimension is not positive, or the file holds
    /// fewer or more values than its header declares (including a damaged gzip stream).</exception>
    public static IdxArray Read(string path, int expectedMagic) => Read(ReadHeader(path, expectedMagic));

    /// <summary>Reads the values of a file whose header <see cref="ReadHeader"/> checked, allocating exactly what it declares.</summary>
    /// <exception cref="InvalidDataException">The file holds fewer or more values than its header declares.</exception>
    public static IdxArray Read(IdxHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var values = new byte[header.Count];
        try
        {
            using var stream = Open(header.Path, out _);
            stream.ReadExactly(new byte[header.Length]);
            int read = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
            if (read < values.Length) throw Mismatch(header.Path, header.Dimensions, header.Count, read);
            if (stream.ReadByte() >= 0)
                throw new InvalidDataException($"'{header.Path}' declares {string.Join("×", header.Dimensions)} = {header.Count} values but holds more (the file is longer than its header says).");
        }
        catch (InvalidDataException e) when (header.Compressed && !e.Message.StartsWith($"'{header.Path}'", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"IDX file '{header.Path}' is not a valid gzip stream: {e.Message}", e);
        }
        return new IdxArray(header.Dimensions, values);
    }

    /// <summary>
    /// Reads and checks an IDX file's header without reading its values: the magic number, positive dimensions, and what
    /// they declare against the file: the exact size of a raw file; for a gzip file, the uncompressed size its trailer
    /// records (modulo 2³², for the single-stream files these data sets ship) and the most its compressed size can hold.
    /// So a header that declares more than the file holds is refused before anything is allocated for it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A check fails; the message names the file and what it declares.</exception>
    public static IdxHeader ReadHeader(string path, int expectedMagic)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        Span<byte> head = stackalloc byte[4 + 4 * 255];
        int got;
        bool compressed;
        long fileLength = new FileInfo(path).Length;
        try
        {
            using var stream = Open(path, out compressed);
            got = stream.ReadAtLeast(head[..4], 4, throwOnEndOfStream: false);
            if (got == 4)
            {
                int rank = head[3];
                got += stream.ReadAtLeast(head.Slice(4, 4 * rank), 4 * rank, throwOnEndOfStream: false);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"IDX file '{path}' is not a valid gzip stream: {e.Message}", e);
        }
        var header = ParseHeader(head[..got], expectedMagic, path, compressed);
        long total = header.Length + header.Count;
        if (!compressed)
        {
            if (fileLength != total) throw Mismatch(path, header.Dimensions, header.Count, fileLength - header.Length);
            return header;
        }
        if (total > fileLength * MaxDeflateRatio)
            throw new InvalidDataException($"'{path}' declares {string.Join("×", header.Dimensions)} = {header.Count} values, more than a {fileLength}-byte gzip file can hold (the file is truncated or its header is wrong).");
        uint recorded = TrailerLength(path);
        if (recorded != (uint)total)
            throw new InvalidDataException($"'{path}' declares {string.Join("×", header.Dimensions)} = {header.Count} values ({total} bytes with the header), but its gzip trailer records {recorded} bytes (the file is truncated, longer than its header says, or not one gzip stream).");
        return header;
    }

    /// <summary>The uncompressed length modulo 2³² that a gzip file's last four bytes record (RFC 1952, ISIZE).</summary>
    private static uint TrailerLength(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length < 18) throw new InvalidDataException($"IDX file '{path}' is not a valid gzip stream: {file.Length} bytes is shorter than a gzip header and trailer.");
        Span<byte> tail = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(tail);
        return BinaryPrimitives.ReadUInt32LittleEndian(tail);
    }

    private static InvalidDataException Mismatch(string source, IReadOnlyList<int> dims, long count, long actual) => new(
        $"'{source}' declares {string.Join("×", dims)} = {count} values but holds {actual} (the file is {(actual < count ? "truncated" : "longer than its header says")}).");

    /// <summary>Checks the magic number and the dimensions of a header's bytes.</summary>
    private static IdxHeader ParseHeader(ReadOnlySpan<byte> bytes, int expectedMagic, string source, bool compressed)
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
        return new IdxHeader(source, magic, dims, compressed);
    }

    /// <summary>Parses the bytes of an (uncompressed) IDX file.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="expectedMagic">The magic number the file must have.</param>
    /// <param name="source">A name for error messages (usually the path).</param>
    /// <exception cref="InvalidDataException">See <see cref="Read(string, int)"/>.</exception>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, int expectedMagic, string source = "IDX data")
    {
        var header = ParseHeader(bytes, expectedMagic, source, compressed: false);
        long actual = bytes.Length - header.Length;
        if (actual != header.Count) throw Mismatch(source, header.Dimensions, header.Count, actual);
        return new IdxArray(header.Dimensions, bytes[header.Length..].ToArray());
    }

    /// <summary>Opens a file for reading its IDX bytes, through a gzip decoder when it starts with the gzip magic.</summary>
    private static Stream Open(string path, out bool compressed)
    {
        var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        int read = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        file.Position = 0;
        compressed = read == 2 && head[0] == 0x1F && head[1] == 0x8B;
        return compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
