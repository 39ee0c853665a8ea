using System.Buffers;
using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// The image pipeline as an <see cref="IDataset"/>: byte images rendered through an <see cref="ImageTransform"/>.
/// Training reads a random view drawn from the example's key (crop, flip, colour shift as the transform's
/// augmentation says); evaluation reads the centre crop, or the paper's ten crops as ten views.
/// </summary>
public sealed class ImageExamples : IDataset
{
    private readonly IReadOnlyList<CropWindow> _views;
    private readonly CropWindow[] _centre;

    /// <summary>Renders <paramref name="images"/> through <paramref name="transform"/>.</summary>
    /// <param name="images">The images.</param>
    /// <param name="transform">The preprocessing and augmentation, built for images of this size.</param>
    /// <param name="tenCrop">Evaluate on the ten crops (four corners and the centre, and their mirrors) instead of the
    /// centre crop.</param>
    /// <exception cref="ArgumentException">The images' size is not the one the transform was built for.</exception>
    public ImageExamples(IImageDataset images, ImageTransform transform, bool tenCrop = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(transform);
        if (images.Channels != transform.Channels || images.Height != transform.Height || images.Width != transform.Width)
            throw new ArgumentException($"A data set of {images.Channels}×{images.Height}×{images.Width} images does not fit a transform for "
                                      + $"{transform.Channels}×{transform.Height}×{transform.Width}; build the transform for these images.", nameof(transform));
        Images = images;
        Transform = transform;
        TenCrop = tenCrop;
        _centre = [transform.Centre];
        _views = tenCrop ? transform.TenCrops : _centre;
        ExampleShape = new Shape(transform.Channels, transform.CropSize, transform.CropSize);
    }

    /// <summary>The byte images.</summary>
    public IImageDataset Images { get; }

    /// <summary>The preprocessing they go through.</summary>
    public ImageTransform Transform { get; }

    /// <summary>True when evaluation averages the ten crops.</summary>
    public bool TenCrop { get; }

    /// <inheritdoc/>
    public int Count => Images.Count;

    /// <inheritdoc/>
    public Shape ExampleShape { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => Images.ClassNames;

    /// <inheritdoc/>
    public int Views => _views.Count;

    /// <inheritdoc/>
    public int Label(int index) => Images.Label(index);

    /// <summary>Writes the centre crop of image <paramref name="index"/>.</summary>
    public void Read(int index, Span<float> destination) => Render(index, _centre, destination);

    /// <summary>Writes image <paramref name="index"/> in the random view <paramref name="key"/> draws.</summary>
    public void ReadTraining(int index, RandomKey key, Span<float> destination) => Render(index, [Transform.Draw(key)], destination);

    /// <summary>Writes the centre crop, or the ten crops, of image <paramref name="index"/>.</summary>
    public void ReadViews(int index, Span<float> destination) => Render(index, _views, destination);

    private void Render(int index, IReadOnlyList<CropWindow> views, Span<float> destination)
    {
        int n = Transform.OutputLength;
        if (destination.Length != views.Count * n)
            throw new ArgumentException($"{views.Count} view(s) of {ExampleShape} need {views.Count * n} floats; the destination holds {destination.Length}.", nameof(destination));
        // Pooled: a 256×256 colour image is a large-object-heap array, too costly to allocate per example.
        var pixels = ArrayPool<byte>.Shared.Rent(Transform.InputLength);
        try
        {
            Images.ReadImage(index, pixels.AsSpan(0, Transform.InputLength));
            for (int v = 0; v < views.Count; v++) Transform.Render(pixels, views[v], destination.Slice(v * n, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }
}
