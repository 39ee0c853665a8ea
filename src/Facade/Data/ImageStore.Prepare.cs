using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace AlexNet.Facade;

public sealed partial class ImageStore
{
    private const long MaxSourceFileBytes = 1L << 30;
    private const long ChunkBytes = 256L << 20;

    /// <summary>
    /// Decodes a folder tree <c>root/&lt;class&gt;/*.jpg|jpeg|png</c> into a store: each image's shorter side scaled to
    /// <paramref name="size"/> and the central square kept (<see cref="ImageDecoder"/>), records in the listing's order.
    /// </summary>
    /// <param name="sourceFolder">The folder whose sub-folders are the classes.</param>
    /// <param name="outputPath">The store file to create or replace; its folder must exist.</param>
    /// <param name="size">Side of the stored squares (256 in the paper).</param>
    /// <param name="classNames">The training classes, for a validation or test folder; null takes the sub-folders.</param>
    /// <param name="threads">Decoding threads; 0 for one per core.</param>
    /// <param name="progress">Called after each chunk with (files handled, files in all).</param>
    /// <exception cref="DirectoryNotFoundException">The source folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder is not a valid split (see <see cref="ImageFolderListing.Scan"/>),
    /// or no file decodes; an existing store at <paramref name="outputPath"/> is then left as it was.</exception>
    /// <exception cref="IOException">The store cannot be written.</exception>
    public static PreparedStore Prepare(string sourceFolder, string outputPath, int size = 256, IReadOnlyList<string>? classNames = null,
                                        int threads = 0, Action<int, int>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var listing = ImageFolderListing.Scan(sourceFolder, classNames);
        return Prepare(listing, outputPath, size, threads, progress, clock);
    }

    /// <summary>As <see cref="Prepare(string, string, int, IReadOnlyList{string}?, int, Action{int, int}?)"/> for a folder
    /// already listed (so all splits can be checked before any is decoded).</summary>
    /// <exception cref="InvalidDataException">No file decodes.</exception>
    /// <exception cref="IOException">The store cannot be written.</exception>
    public static PreparedStore Prepare(ImageFolderListing listing, string outputPath, int size = 256, int threads = 0, Action<int, int>? progress = null) =>
        Prepare(listing, outputPath, size, threads, progress, Stopwatch.StartNew());

    private static PreparedStore Prepare(ImageFolderListing listing, string outputPath, int size, int threads, Action<int, int>? progress, Stopwatch clock)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, ImageStoreHeader.MaxSide);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        int workers = threads > 0 ? threads : Environment.ProcessorCount;
        int record = 3 * size * size, total = listing.Files.Count;
        int chunk = (int)Math.Clamp(ChunkBytes / record, 1, 64L * workers);
        var pixels = new byte[(long)chunk * record];
        var errors = new string?[chunk];
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers };
        var skipped = new List<SkippedImage>();
        using var writer = new ImageStoreWriter(outputPath, 3, size, size, listing.ClassNames);
        for (int start = 0; start < total; start += chunk)
        {
            int n = Math.Min(chunk, total - start);
            Parallel.For(0, n, options, () => new byte[1 << 16], (i, _, encoded) =>
            {
                errors[i] = null;
                string file = listing.Files[start + i];
                try
                {
                    int length = ReadFile(file, ref encoded);
                    ImageDecoder.DecodeSquare(encoded.AsSpan(0, length), size, pixels.AsSpan(i * record, record), file);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    errors[i] = e.Message;
                }
                return encoded;
            }, _ => { });
            for (int i = 0; i < n; i++)
            {
                string name = listing.RelativeName(start + i);
                if (errors[i] is { } reason)
                {
                    var s = new SkippedImage(name, reason);
                    skipped.Add(s);
                    writer.AddSkipped(s);
                }
                else writer.Add(pixels.AsSpan(i * record, record), listing.Labels[start + i], name);
            }
            progress?.Invoke(start + n, total);
        }
        if (writer.Count == 0)
            throw new InvalidDataException($"'{listing.Root}' has no decodable image ({skipped.Count} skipped, e.g. {skipped[0].Path}: {skipped[0].Reason}); nothing was written.");
        writer.Commit();
        return new PreparedStore(writer.Path, writer.Count, listing.ClassNames, skipped, clock.Elapsed);
    }

    /// <summary>Reads a whole file into <paramref name="buffer"/> (grown when too small); returns its length.</summary>
    private static int ReadFile(string path, ref byte[] buffer)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        if (length > MaxSourceFileBytes)
            throw new InvalidDataException($"'{path}' is {length:N0} bytes; image files over {MaxSourceFileBytes:N0} bytes are not read.");
        if (length > buffer.Length) buffer = new byte[length];
        int done = 0;
        while (done < length)
        {
            int read = RandomAccess.Read(handle, buffer.AsSpan(done, (int)length - done), done);
            if (read == 0) break;
            done += read;
        }
        return done;
    }
}
