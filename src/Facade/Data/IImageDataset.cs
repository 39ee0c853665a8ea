namespace AlexNet.Facade;

/// <summary>
/// A labelled set of images of one size, stored as unsigned bytes in planar channel-height-width order (what the
/// augmentation and the network's NCHW input expect). Implementations are safe to read from several threads at once.
/// </summary>
public interface IImageDataset
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Channels per image (1 for grey, 3 for RGB).</summary>
    int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    int Height { get; }

    /// <summary>Image width in pixels.</summary>
    int Width { get; }

    /// <summary>The class names; a label is an index into this list.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The class of image <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    int Label(int index);

    /// <summary>Copies image <paramref name="index"/> (Channels × Height × Width bytes, planar) into
    /// <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    /// <exception cref="ArgumentException">The destination is shorter than one image.</exception>
    void ReadImage(int index, Span<byte> destination);
}
