namespace AlexNet.Onnx;

/// <summary>
/// Puts an image network's preprocessing into the exported graph, so that a runtime feeds it whole images: the model's
/// input is then <c>image</c> [N, <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>] of byte values
/// (0–255, as floats, channels first), which the graph crops at (<see cref="Top"/>, <see cref="Left"/>) to the network's
/// input size and maps to <c>x·<see cref="Scale"/> + <see cref="Offset"/></c> before the first layer.
/// </summary>
/// <param name="Channels">Image channels (the network's input channels).</param>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="Top">First row of the crop.</param>
/// <param name="Left">First column of the crop.</param>
/// <param name="Scale">The factor every pixel is multiplied by.</param>
/// <param name="Offset">What is added after scaling, one value per element of the network's input [C, h, w] (for mean
/// subtraction: −mean·scale).</param>
public sealed record OnnxImageInput(int Channels, int Height, int Width, int Top, int Left, float Scale, float[] Offset);
