using System.Buffers.Binary;

namespace AlexNet.Facade;

/// <summary>
/// The fixed 128-byte header of an image store file (<see cref="ImageStore"/>), and the checks that it agrees with itself
/// and with the file's length.
/// </summary>
/// <remarks>
/// Little-endian. Offset 0: the magic <c>ALXIMGST</c>; 8: format version (int32, <see cref="Version"/>); 12: header length
/// (128); 16: channels; 20: height; 24: width; 28: record count; 32: class count; 36: skipped-file count (all int32);
/// then five (offset, length) int64 pairs for the sections records, labels, classes, index and skipped (40 … 119); 120:
/// the total file length (int64). The sections follow the header back to back in that order:
/// <list type="bullet">
/// <item>records: count × channels × height × width bytes, each image planar (channel, row, column);</item>
/// <item>labels: count int32;</item>
/// <item>classes: per class an int32 byte length and the UTF-8 name;</item>
/// <item>index: count + 1 int64 offsets into the UTF-8 text that follows them, record i's source path (relative to the
/// prepared folder, '/'-separated) being bytes [offset i, offset i+1);</item>
/// <item>skipped: per file that did not decode, an int32-length UTF-8 path and an int32-length UTF-8 reason.</item>
/// </list>
/// </remarks>
internal sealed record ImageStoreHeader(int Channels, int Height, int Width, int Count, int ClassCount, int SkippedCount,
                                        long LabelsLength, long ClassesLength, long IndexLength, long SkippedLength)
{
    /// <summary>Bytes of the header.</summary>
    public const int Length = 128;

    /// <summary>The format version this build writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The largest height or width a store may declare.</summary>
    public const int MaxSide = 65535;

    private static ReadOnlySpan<byte> Magic => "ALXIMGST"u8;

    /// <summary>Bytes of one record.</summary>
    public long RecordSize => (long)Channels * Height * Width;

    /// <summary>Where the records start.</summary>
    public static long RecordsOffset => Length;

    /// <summary>Bytes of all records.</summary>
    public long RecordsLength => RecordSize * Count;

    /// <summary>Where the labels start.</summary>
    public long LabelsOffset => RecordsOffset + RecordsLength;

    /// <summary>Where the class names start.</summary>
    public long ClassesOffset => LabelsOffset + LabelsLength;

    /// <summary>Where the index starts.</summary>
    public long IndexOffset => ClassesOffset + ClassesLength;

    /// <summary>Where the skipped-file list starts.</summary>
    public long SkippedOffset => IndexOffset + IndexLength;

    /// <summary>The total file length.</summary>
    public long FileLength => SkippedOffset + SkippedLength;

    /// <summary>Writes the header into its first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[..Length].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], Height);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], Width);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(destination[32..], ClassCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[36..], SkippedCount);
        long[] sections = [RecordsOffset, RecordsLength, LabelsOffset, LabelsLength, ClassesOffset, ClassesLength,
                           IndexOffset, IndexLength, SkippedOffset, SkippedLength, FileLength];
        for (int i = 0; i < sections.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(destination[(40 + 8 * i)..], sections[i]);
    }

    /// <summary>Parses and checks a header against the length of the file it came from.</summary>
    /// <param name="bytes">The file's first bytes (up to <see cref="Length"/>).</param>
    /// <param name="fileLength">The file's actual length.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="InvalidDataException">The file is not a store, is of another version, is truncated or longer
    /// than declared, or its header disagrees with itself.</exception>
    public static ImageStoreHeader Parse(ReadOnlySpan<byte> bytes, long fileLength, string path)
    {
        int prefix = (int)Math.Min(Magic.Length, bytes.Length);
        if (!bytes[..prefix].SequenceEqual(Magic[..prefix]) || fileLength == 0)
            throw new InvalidDataException($"'{path}' is not an image store (it does not start with '{System.Text.Encoding.ASCII.GetString(Magic)}'); create one with `alexnet prepare`.");
        if (fileLength < Length || bytes.Length < Length)
            throw new InvalidDataException($"'{path}' is truncated: {fileLength} bytes, but the store header alone needs {Length}; prepare it again.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (version != Version)
            throw new InvalidDataException($"'{path}' is image store format version {version}; this build reads version {Version}; prepare it again with this build's `alexnet prepare`.");
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        int channels = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]);
        int width = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]);
        int classes = BinaryPrimitives.ReadInt32LittleEndian(bytes[32..]);
        int skipped = BinaryPrimitives.ReadInt32LittleEndian(bytes[36..]);
        Span<long> s = stackalloc long[11];
        for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(40 + 8 * i)..]);
        string damaged = $"'{path}' has a damaged header";
        if (headerLength != Length) throw new InvalidDataException($"{damaged}: header length {headerLength}, expected {Length}.");
        if (channels is not (1 or 3)) throw new InvalidDataException($"{damaged}: {channels} channels (1 or 3 expected).");
        if (height is < 1 or > MaxSide || width is < 1 or > MaxSide)
            throw new InvalidDataException($"{damaged}: image size {height}×{width} (each side must be in [1, {MaxSide}]).");
        if (count < 0 || classes < 1 || skipped < 0)
            throw new InvalidDataException($"{damaged}: {count} records, {classes} classes, {skipped} skipped files.");
        if (s[10] != fileLength)
            throw new InvalidDataException(
                $"'{path}' is {fileLength} bytes but its header declares {s[10]}: the file is {(fileLength < s[10] ? "truncated" : "longer than its header says")}; prepare it again.");
        if (s[3] < 0 || s[5] < 0 || s[7] < 0 || s[9] < 0 || s[3] > fileLength || s[5] > fileLength || s[7] > fileLength || s[9] > fileLength)
            throw new InvalidDataException($"{damaged}: a section length is negative or larger than the file.");
        var header = new ImageStoreHeader(channels, height, width, count, classes, skipped, s[3], s[5], s[7], s[9]);
        if (count > 0 && header.RecordSize > (fileLength - Length) / count)
            throw new InvalidDataException(
                $"'{path}' declares {count} records of {channels}×{height}×{width} bytes, more than its {fileLength} bytes hold: the header disagrees with the file size.");
        (string Name, long Expected, long Declared)[] checks =
        [
            ("records offset", RecordsOffset, s[0]), ("records length", header.RecordsLength, s[1]),
            ("labels offset", header.LabelsOffset, s[2]), ("labels length", 4L * count, s[3]),
            ("classes offset", header.ClassesOffset, s[4]), ("index offset", header.IndexOffset, s[6]),
            ("skipped offset", header.SkippedOffset, s[8]), ("file length", header.FileLength, s[10]),
        ];
        foreach (var (name, expected, declared) in checks)
            if (declared != expected)
                throw new InvalidDataException($"{damaged}: the {name} is {declared} where {count} records of {channels}×{height}×{width} bytes make it {expected}; the header disagrees with the file size.");
        if (s[7] < 8L * (count + 1))
            throw new InvalidDataException($"{damaged}: the index is {s[7]} bytes, too short for {count + 1} offsets.");
        return header;
    }
}
