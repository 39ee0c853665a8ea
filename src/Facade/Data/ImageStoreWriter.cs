using System.Buffers.Binary;
using System.Text;

namespace AlexNet.Facade;

/// <summary>
/// Writes an image store (<see cref="ImageStore"/>) record by record: records stream to a temporary file beside the
/// target, and <see cref="Commit"/> appends labels, class names, index and skipped list, writes the header and renames
/// the file over the target. A writer disposed without <see cref="Commit"/> deletes its temporary file, so the target
/// (an existing store included) is only ever replaced by a complete store.
/// </summary>
/// <remarks>Memory: the labels (4 bytes per record) and the UTF-8 source names are held until <see cref="Commit"/>;
/// pixels are not. Not thread-safe.</remarks>
public sealed class ImageStoreWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly string _tempPath;
    private readonly List<int> _labels = [];
    private readonly List<long> _nameOffsets = [0];
    private readonly MemoryStream _names = new();
    private readonly List<SkippedImage> _skipped = [];
    private bool _done;

    /// <summary>Starts a store of images of one size.</summary>
    /// <param name="path">The store file to create or replace.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="classNames">The class names (at least one, none empty); labels index this list.</param>
    /// <exception cref="ArgumentException">A size is out of range or the class list is empty or has an empty name.</exception>
    /// <exception cref="IOException">The temporary file cannot be created (e.g. the folder does not exist).</exception>
    public ImageStoreWriter(string path, int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(classNames);
        if (channels is not (1 or 3)) throw new ArgumentException($"A store holds 1 or 3 channels, got {channels}.", nameof(channels));
        if (height is < 1 or > ImageStoreHeader.MaxSide || width is < 1 or > ImageStoreHeader.MaxSide)
            throw new ArgumentException($"Image size {height}×{width} must be in [1, {ImageStoreHeader.MaxSide}] on each side.");
        if (classNames.Count < 1 || classNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException("A store needs at least one class and every class name must be non-empty.", nameof(classNames));
        Path = System.IO.Path.GetFullPath(path);
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = [.. classNames];
        _tempPath = $"{Path}.{Guid.NewGuid():N}.tmp";
        _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _file.Write(new byte[ImageStoreHeader.Length]);
    }

    /// <summary>The store file this writer creates.</summary>
    public string Path { get; }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>The class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Records added so far.</summary>
    public int Count => _labels.Count;

    /// <summary>Appends one image.</summary>
    /// <param name="image">Channels × height × width bytes, planar.</param>
    /// <param name="label">Its class, an index into <see cref="ClassNames"/>.</param>
    /// <param name="sourceName">Where it came from (e.g. its path relative to the prepared folder).</param>
    /// <exception cref="ArgumentException">The image has the wrong length or the label is out of range.</exception>
    /// <exception cref="InvalidOperationException">The writer is committed, or holds <see cref="int.MaxValue"/> records.</exception>
    public void Add(ReadOnlySpan<byte> image, int label, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        EnsureOpen();
        int size = Channels * Height * Width;
        if (image.Length != size) throw new ArgumentException($"An image of {Channels}×{Height}×{Width} has {size} bytes, got {image.Length}.", nameof(image));
        if ((uint)label >= (uint)ClassNames.Count) throw new ArgumentException($"Label {label} is outside [0, {ClassNames.Count}).", nameof(label));
        if (Count == int.MaxValue) throw new InvalidOperationException($"A store holds at most {int.MaxValue} records.");
        _file.Write(image);
        _labels.Add(label);
        _names.Write(Encoding.UTF8.GetBytes(sourceName));
        _nameOffsets.Add(_names.Length);
    }

    /// <summary>Records a source file that was left out (kept in the store's metadata, <see cref="ImageStore.Skipped"/>).</summary>
    /// <exception cref="InvalidOperationException">The writer is committed.</exception>
    public void AddSkipped(SkippedImage skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        EnsureOpen();
        _skipped.Add(skipped);
    }

    /// <summary>Completes the store: writes the sections and the header, flushes to disk and renames the temporary file
    /// over <see cref="Path"/>.</summary>
    /// <exception cref="InvalidOperationException">Already committed or disposed.</exception>
    /// <exception cref="IOException">Writing or renaming failed (the target is then unchanged).</exception>
    public void Commit()
    {
        EnsureOpen();
        var labels = new byte[4 * _labels.Count];
        for (int i = 0; i < _labels.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(labels.AsSpan(4 * i), _labels[i]);
        _file.Write(labels);

        long classesStart = _file.Position;
        foreach (var name in ClassNames) WriteString(name);
        long classesLength = _file.Position - classesStart;

        var offsets = new byte[8 * _nameOffsets.Count];
        for (int i = 0; i < _nameOffsets.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(offsets.AsSpan(8 * i), _nameOffsets[i]);
        _file.Write(offsets);
        _names.Position = 0;
        _names.CopyTo(_file);
        long indexLength = offsets.Length + _names.Length;

        long skippedStart = _file.Position;
        foreach (var s in _skipped)
        {
            WriteString(s.Path);
            WriteString(s.Reason);
        }
        var header = new ImageStoreHeader(Channels, Height, Width, Count, ClassNames.Count, _skipped.Count,
                                          labels.Length, classesLength, indexLength, _file.Position - skippedStart);
        if (header.FileLength != _file.Position) throw new InvalidOperationException("Store sections do not add up to the file written.");
        var bytes = new byte[ImageStoreHeader.Length];
        header.Write(bytes);
        _file.Position = 0;
        _file.Write(bytes);
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        File.Move(_tempPath, Path, overwrite: true);
        _done = true;
    }

    /// <summary>Closes the writer; without <see cref="Commit"/> the temporary file is deleted and the target untouched.</summary>
    public void Dispose()
    {
        _file.Dispose();
        if (!_done)
        {
            _done = true;
            try { File.Delete(_tempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        _file.Write(length);
        _file.Write(bytes);
    }

    private void EnsureOpen()
    {
        if (_done) throw new InvalidOperationException($"The writer of '{Path}' is already committed or disposed.");
    }
}
