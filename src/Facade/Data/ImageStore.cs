using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AlexNet.Facade;

/// <summary>
/// A prepared image store: one file per split holding fixed-size planar images, their labels, the class names and each
/// record's source path (format in <see cref="ImageStoreHeader"/>). Images are read on demand with positioned reads, so
/// resident memory stays bounded by the batches in flight whatever the size of the store.
/// </summary>
/// <remarks>
/// <see cref="Open"/> checks the whole structure before anything is read: the magic, the format version, the header
/// against the file length, every section's place, every label against the class count, the index offsets and the
/// UTF-8 names. Any disagreement is an <see cref="InvalidDataException"/> naming the file and the problem. The reader
/// then holds the labels (4 bytes per image), the class names and the skipped list; pixels and source names stay on disk.
/// <see cref="ReadImage"/> is a single <see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/> into the
/// caller's span: thread-safe and allocation-free.
/// </remarks>
public sealed partial class ImageStore : IImageDataset, IDisposable
{
    private const int OffsetChunk = 8192;
    private readonly SafeFileHandle _handle;
    private readonly ImageStoreHeader _header;
    private readonly int[] _labels;

    private ImageStore(string path, SafeFileHandle handle, ImageStoreHeader header, int[] labels,
                       IReadOnlyList<string> classNames, IReadOnlyList<SkippedImage> skipped)
    {
        Path = path;
        _handle = handle;
        _header = header;
        _labels = labels;
        ClassNames = classNames;
        Skipped = skipped;
    }

    /// <summary>Opens and checks a store file.</summary>
    /// <param name="path">A file written by <see cref="ImageStoreWriter"/> (<c>alexnet prepare</c>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a store, is of another format version, is truncated or
    /// longer than its header says, or its header, labels, class names or index are inconsistent.</exception>
    public static ImageStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Image store '{path}' does not exist; create it with `alexnet prepare`.", path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            long length = RandomAccess.GetLength(handle);
            var head = new byte[(int)Math.Min(length, ImageStoreHeader.Length)];
            ReadExactly(handle, head, 0, path);
            var header = ImageStoreHeader.Parse(head, length, path);
            var labels = ReadLabels(handle, header, path);
            var classes = ParseStrings(ReadSection(handle, header.ClassesOffset, header.ClassesLength, path), header.ClassCount, path, "class names");
            if (classes.Any(string.IsNullOrEmpty)) throw new InvalidDataException($"'{path}' has an empty class name.");
            CheckIndex(handle, header, path);
            var pairs = ParseStrings(ReadSection(handle, header.SkippedOffset, header.SkippedLength, path), 2 * header.SkippedCount, path, "skipped-file list");
            var skipped = Enumerable.Range(0, header.SkippedCount).Select(i => new SkippedImage(pairs[2 * i], pairs[2 * i + 1])).ToArray();
            return new ImageStore(System.IO.Path.GetFullPath(path), handle, header, labels, classes, skipped);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The store file.</summary>
    public string Path { get; }

    /// <summary>Source files that did not decode when the store was prepared (paths relative to the prepared folder).</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <inheritdoc/>
    public int Count => _header.Count;

    /// <inheritdoc/>
    public int Channels => _header.Channels;

    /// <inheritdoc/>
    public int Height => _header.Height;

    /// <inheritdoc/>
    public int Width => _header.Width;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _labels[index];
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="InvalidDataException">The file became shorter after it was opened.</exception>
    public void ReadImage(int index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        int size = (int)_header.RecordSize;
        if (destination.Length < size)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; one image needs {size}.", nameof(destination));
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ReadExactly(_handle, destination[..size], ImageStoreHeader.RecordsOffset + index * _header.RecordSize, Path);
    }

    /// <summary>The source path of image <paramref name="index"/>, relative to the folder the store was prepared from.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public string SourceName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        Span<byte> pair = stackalloc byte[16];
        ReadExactly(_handle, pair, _header.IndexOffset + 8L * index, Path);
        long start = BinaryPrimitives.ReadInt64LittleEndian(pair), end = BinaryPrimitives.ReadInt64LittleEndian(pair[8..]);
        var bytes = new byte[end - start];
        ReadExactly(_handle, bytes, _header.IndexOffset + 8L * (Count + 1) + start, Path);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string path)
    {
        while (destination.Length > 0)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0) throw new InvalidDataException($"'{path}' ends at byte {offset}, before the data its header declares: the file was truncated; prepare it again.");
            destination = destination[read..];
            offset += read;
        }
    }

    private static byte[] ReadSection(SafeFileHandle handle, long offset, long length, string path)
    {
        if (length > Array.MaxLength) throw new InvalidDataException($"'{path}' has a metadata section of {length} bytes, more than this reader accepts.");
        var bytes = new byte[length];
        ReadExactly(handle, bytes, offset, path);
        return bytes;
    }

    private static int[] ReadLabels(SafeFileHandle handle, ImageStoreHeader header, string path)
    {
        var bytes = ReadSection(handle, header.LabelsOffset, header.LabelsLength, path);
        var labels = new int[header.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i));
            if ((uint)labels[i] >= (uint)header.ClassCount)
                throw new InvalidDataException($"'{path}': label {labels[i]} of record {i} is outside [0, {header.ClassCount}); the store is damaged, prepare it again.");
        }
        return labels;
    }

    /// <summary>Checks that the index offsets start at 0, never decrease and end at the text's length (read in chunks, so
    /// nothing per image is kept).</summary>
    private static void CheckIndex(SafeFileHandle handle, ImageStoreHeader header, string path)
    {
        long textLength = header.IndexLength - 8L * (header.Count + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(8 * OffsetChunk);
        try
        {
            long previous = 0;
            for (long first = 0; first <= header.Count; first += OffsetChunk)
            {
                int n = (int)Math.Min(OffsetChunk, header.Count + 1 - first);
                ReadExactly(handle, buffer.AsSpan(0, 8 * n), header.IndexOffset + 8 * first, path);
                for (int i = 0; i < n; i++)
                {
                    long offset = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(8 * i));
                    long entry = first + i;
                    bool bad = entry == 0 ? offset != 0 : offset < previous || offset > textLength || (entry == header.Count && offset != textLength);
                    if (bad) throw new InvalidDataException($"'{path}': index entry {entry} is {offset}, outside the {textLength} bytes of source names or out of order; the store is damaged, prepare it again.");
                    previous = offset;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string[] ParseStrings(byte[] bytes, int count, string path, string what)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var result = new string[count];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            if (bytes.Length - at < 4) throw new InvalidDataException($"'{path}': the {what} section ends inside entry {i} of {count}; the store is damaged, prepare it again.");
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            at += 4;
            if (length < 0 || length > bytes.Length - at)
                throw new InvalidDataException($"'{path}': entry {i} of the {what} declares {length} bytes, beyond its section; the store is damaged, prepare it again.");
            try
            {
                result[i] = utf8.GetString(bytes, at, length);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"'{path}': entry {i} of the {what} is not valid UTF-8; the store is damaged, prepare it again.");
            }
            at += length;
        }
        if (at != bytes.Length)
            throw new InvalidDataException($"'{path}': the {what} section holds {bytes.Length - at} bytes more than its {count} entries; the store is damaged, prepare it again.");
        return result;
    }
}
