namespace AlexNet.Facade;

/// <summary>
/// Which of the paper's input transformations run, each switchable: random crops (from a zero-padded image when
/// <see cref="Padding"/> &gt; 0), horizontal reflections, an optional small rotation (the article's, not the paper's),
/// PCA colour shifts and mean subtraction. Evaluation uses the same crop size, mean and scale with no randomness.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Side of the square the network sees (227 for the paper's 256×256 images).</summary>
    public required int CropSize { get; init; }

    /// <summary>Pixels of padding (at the mean, so 0 after subtraction) added on every side before cropping; the
    /// pad-and-crop shift augmentation for small images.</summary>
    public int Padding { get; init; }

    /// <summary>Take the crop at a random position in training (otherwise the centre).</summary>
    public bool RandomCrop { get; init; } = true;

    /// <summary>Reflect the crop horizontally with probability ½ in training.</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Rotate by an angle drawn uniformly from ±this many degrees in training (0 turns it off; the paper has none).</summary>
    public float MaxRotationDegrees { get; init; }

    /// <summary>Standard deviation of the PCA colour coefficients α (0.1 in the paper; 0 turns it off).</summary>
    public float PcaStandardDeviation { get; init; }

    /// <summary>What is subtracted from the pixels.</summary>
    public MeanSubtraction Mean { get; init; } = MeanSubtraction.MeanImage;

    /// <summary>Factor applied after mean subtraction (1 keeps byte units, as the paper).</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>The paper's ImageNet recipe: 227 crops of 256 images, flips, PCA colour with α ~ N(0, 0.1), mean image.</summary>
    public static AugmentationOptions Paper { get; } = new() { CropSize = 227, PcaStandardDeviation = 0.1f };

    /// <summary>No randomness at all: the centre crop of <paramref name="cropSize"/>, mean image subtracted.</summary>
    public static AugmentationOptions None(int cropSize) => new()
    {
        CropSize = cropSize,
        RandomCrop = false,
        HorizontalFlip = false,
    };

    /// <summary>Checks the options against an image size.</summary>
    /// <exception cref="ArgumentException">The crop does not fit the padded image, or a value is negative or not finite.</exception>
    public void Validate(int height, int width)
    {
        if (CropSize < 1) throw new ArgumentException($"Crop size must be ≥ 1, got {CropSize}.");
        if (Padding < 0) throw new ArgumentException($"Padding must be ≥ 0, got {Padding}.");
        if (CropSize > height + 2 * Padding || CropSize > width + 2 * Padding)
            throw new ArgumentException($"A {CropSize}×{CropSize} crop does not fit a {height}×{width} image padded by {Padding}.");
        if (!(MaxRotationDegrees >= 0 && MaxRotationDegrees <= 180))
            throw new ArgumentException($"Rotation must be in [0, 180] degrees, got {MaxRotationDegrees}.");
        if (!(PcaStandardDeviation >= 0) || !float.IsFinite(PcaStandardDeviation))
            throw new ArgumentException($"PCA standard deviation must be finite and ≥ 0, got {PcaStandardDeviation}.");
        if (!float.IsFinite(Scale) || Scale == 0) throw new ArgumentException($"Scale must be finite and non-zero, got {Scale}.");
    }
}
