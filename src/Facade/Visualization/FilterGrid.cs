using AlexNet.Autograd;
using SkiaSharp;

namespace AlexNet.Facade.Visualization;

/// <summary>
/// Draws first-layer convolution kernels as a grid of small images, one block of rows per tower, as the paper's
/// Figure 3 shows conv1's 96 kernels (48 per GPU).
/// </summary>
/// <remarks>Each kernel is scaled on its own to the full grey (1 channel) or colour (3 channels) range,
/// (w − min)/(max − min), and enlarged so that a kernel pixel is a square block. Towers are the consecutive equal parts
/// of the output-channel axis, which is how the layers stack them.</remarks>
public static class FilterGrid
{
    /// <summary>Writes the kernels of <paramref name="weights"/> [out, in, kh, kw] to a PNG file.</summary>
    /// <param name="weights">The first layer's weights; in must be 1 or 3.</param>
    /// <param name="towers">Number of towers the output channels are split into.</param>
    /// <param name="path">The PNG file.</param>
    /// <param name="pixelsPerCell">Side of the square each kernel pixel becomes (0: chosen so a kernel is about 48 px).</param>
    /// <param name="columns">Kernels per row (0: 8 for up to 64 kernels per tower, else 16).</param>
    /// <exception cref="ArgumentException">The weights are not rank 4 with 1 or 3 input channels, or the tower count does
    /// not divide the output channels.</exception>
    public static void SavePng(Tensor weights, int towers, string path, int pixelsPerCell = 0, int columns = 0)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (weights.Rank != 4 || weights.Shape[1] is not (1 or 3))
            throw new ArgumentException($"Kernels must be [out, 1 or 3, kh, kw]; got {weights.Shape}.", nameof(weights));
        int count = weights.Shape[0], channels = weights.Shape[1], kh = weights.Shape[2], kw = weights.Shape[3];
        if (towers < 1 || count % towers != 0)
            throw new ArgumentException($"{towers} towers do not divide {count} kernels.", nameof(towers));
        int perTower = count / towers;
        int cell = pixelsPerCell > 0 ? pixelsPerCell : Math.Max(1, 48 / Math.Max(kh, kw));
        int cols = columns > 0 ? columns : perTower <= 64 ? 8 : 16;
        int rowsPerTower = (perTower + cols - 1) / cols;
        const int gap = 2, towerGap = 12;
        int tileW = kw * cell, tileH = kh * cell;
        int width = cols * (tileW + gap) + gap;
        int height = towers * (rowsPerTower * (tileH + gap) + gap) + (towers - 1) * towerGap;
        var w = weights.ToArray();
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(255, 255, 255));
            using var paint = new SKPaint();
            int size = channels * kh * kw;
            for (int k = 0; k < count; k++)
            {
                int tower = k / perTower, index = k % perTower;
                int x0 = gap + (index % cols) * (tileW + gap);
                int y0 = tower * (rowsPerTower * (tileH + gap) + gap + towerGap) + gap + (index / cols) * (tileH + gap);
                int offset = k * size;
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                for (int i = 0; i < size; i++) { min = Math.Min(min, w[offset + i]); max = Math.Max(max, w[offset + i]); }
                float range = max > min ? max - min : 1f;
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                    {
                        byte Level(int c) => (byte)Math.Clamp((int)MathF.Round(255 * (w[offset + (c * kh + y) * kw + x] - min) / range), 0, 255);
                        paint.Color = channels == 1 ? new SKColor(Level(0), Level(0), Level(0)) : new SKColor(Level(0), Level(1), Level(2));
                        canvas.DrawRect(x0 + x * cell, y0 + y * cell, cell, cell, paint);
                    }
            }
        }
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var temp = full + ".tmp";
        using (var file = File.Create(temp)) data.SaveTo(file);
        File.Move(temp, full, overwrite: true);
    }
}
