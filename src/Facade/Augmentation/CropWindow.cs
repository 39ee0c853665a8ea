namespace AlexNet.Facade;

/// <summary>
/// One view of an image: the top-left corner of a square crop in the padded image, whether it is reflected, a rotation
/// and the PCA colour coefficients.
/// </summary>
/// <param name="Top">Row of the crop's first row in the padded image.</param>
/// <param name="Left">Column of the crop's first column in the padded image.</param>
/// <param name="Flip">Reflect horizontally.</param>
/// <param name="RotationDegrees">Rotation about the image centre, counter-clockwise.</param>
/// <param name="Alphas">PCA colour coefficients, one per channel, or empty for none.</param>
public sealed record CropWindow(int Top, int Left, bool Flip, float RotationDegrees, IReadOnlyList<float> Alphas)
{
    /// <summary>A crop with no reflection, rotation or colour shift.</summary>
    public static CropWindow At(int top, int left, bool flip = false) => new(top, left, flip, 0f, []);
}
