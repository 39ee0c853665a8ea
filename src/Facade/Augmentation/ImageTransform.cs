using AlexNet.Autograd;
using AlexNet.Facade;

namespace AlexNet.Facade;

/// <summary>
/// Turns one stored image (planar bytes) into one network input (planar floats, C × crop × crop): mean subtraction,
/// optional rotation, crop from the zero-padded image, optional reflection, PCA colour shift, scale. Training views are
/// drawn from an explicit <see cref="RandomKey"/>, so the same key always gives the same view.
/// </summary>
/// <remarks>
/// Output pixel (c, y, x) is ((I − M)(c, r(y, x)) + s_c)·scale, where M is the mean image or mean pixel, r maps the
/// output position through the reflection, the crop offset, the padding and the rotation back to the source image
/// (bilinear for a rotation, 0 outside the image, i.e. the mean), and s = Σ_i p_i·α_i·λ_i is the PCA shift of
/// <see cref="ColorPca.Shift"/>. Thread-safe: it holds no mutable state.
/// </remarks>
public sealed class ImageTransform
{
    private readonly float[] _mean;
    private readonly bool _meanPerPosition;
    private readonly ColorPca? _pca;

    /// <summary>Creates the transform for images of one size.</summary>
    /// <param name="options">Which steps run.</param>
    /// <param name="channels">Channels of the stored images.</param>
    /// <param name="height">Height of the stored images.</param>
    /// <param name="width">Width of the stored images.</param>
    /// <param name="statistics">The training set's statistics; required for mean subtraction and PCA colour.</param>
    /// <exception cref="ArgumentException">The options do not fit the image size, statistics are missing or measured on
    /// images of another size.</exception>
    public ImageTransform(AugmentationOptions options, int channels, int height, int width, DatasetStatistics? statistics)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(height, width);
        if (channels < 1) throw new ArgumentException($"Channels must be ≥ 1, got {channels}.", nameof(channels));
        bool needsStatistics = options.Mean != MeanSubtraction.None || options.PcaStandardDeviation > 0;
        if (needsStatistics && statistics is null)
            throw new ArgumentException("Mean subtraction and PCA colour augmentation need the training set's statistics.", nameof(statistics));
        if (statistics is not null && (statistics.Channels != channels || statistics.Height != height || statistics.Width != width))
            throw new ArgumentException($"Statistics of {statistics.Channels}×{statistics.Height}×{statistics.Width} images cannot serve {channels}×{height}×{width} images.", nameof(statistics));
        Options = options;
        Channels = channels;
        Height = height;
        Width = width;
        _meanPerPosition = options.Mean == MeanSubtraction.MeanImage;
        _mean = options.Mean switch
        {
            MeanSubtraction.MeanImage => statistics!.MeanImage,
            MeanSubtraction.MeanPixel => statistics!.MeanPixel,
            _ => new float[channels],
        };
        _pca = options.PcaStandardDeviation > 0 ? statistics!.Pca : null;
    }

    /// <summary>The options.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>Channels of input and output.</summary>
    public int Channels { get; }

    /// <summary>Height of the stored images.</summary>
    public int Height { get; }

    /// <summary>Width of the stored images.</summary>
    public int Width { get; }

    /// <summary>Side of the output.</summary>
    public int CropSize => Options.CropSize;

    /// <summary>Floats per output image.</summary>
    public int OutputLength => Channels * CropSize * CropSize;

    /// <summary>Bytes per stored image.</summary>
    public int InputLength => Channels * Height * Width;

    /// <summary>The centre view (no randomness).</summary>
    public CropWindow Centre => TestCrops.Centre(Height, Width, Options.Padding, CropSize);

    /// <summary>The paper's ten evaluation views.</summary>
    public IReadOnlyList<CropWindow> TenCrops => TestCrops.TenCrops(Height, Width, Options.Padding, CropSize);

    /// <summary>A random training view drawn from <paramref name="key"/> (element 0: row, 1: column, 2: reflection,
    /// 3: rotation, 4…: the α of each PCA component).</summary>
    public CropWindow Draw(RandomKey key)
    {
        var centre = Centre;
        int rows = Height + 2 * Options.Padding - CropSize + 1, cols = Width + 2 * Options.Padding - CropSize + 1;
        int top = Options.RandomCrop ? key.Integer(0, rows) : centre.Top;
        int left = Options.RandomCrop ? key.Integer(1, cols) : centre.Left;
        bool flip = Options.HorizontalFlip && key.Uniform(2) < 0.5f;
        float angle = Options.MaxRotationDegrees > 0 ? (2 * key.Uniform(3) - 1) * Options.MaxRotationDegrees : 0f;
        var alphas = _pca is null ? [] : new float[Channels];
        for (int i = 0; i < alphas.Length; i++) alphas[i] = Options.PcaStandardDeviation * key.Normal(4 + i);
        return new CropWindow(top, left, flip, angle, alphas);
    }

    /// <summary>Renders a random training view of <paramref name="image"/>.</summary>
    public void RenderTraining(ReadOnlySpan<byte> image, RandomKey key, Span<float> destination) => Render(image, Draw(key), destination);

    /// <summary>Renders one view of <paramref name="image"/> into <paramref name="destination"/>.</summary>
    /// <remarks>Without rotation the rows are converted with SIMD (bytes → (pixel − mean + shift)·scale, padding filled by
    /// ranges, reflected rows reversed), bit-identical to the per-pixel formula that serves rotations.</remarks>
    /// <exception cref="ArgumentException">A span is too short, the crop falls outside the padded image, or the view has
    /// a number of PCA coefficients other than 0 or the channel count.</exception>
    public void Render(ReadOnlySpan<byte> image, CropWindow view, Span<float> destination)
    {
        Span<float> shift = stackalloc float[Channels];
        Check(image, view, destination, shift);
        if (view.RotationDegrees == 0) RenderRows(image, view, shift, destination);
        else RenderGeneral(image, view, shift, destination);
    }

    /// <summary>As <see cref="Render"/>, always through the per-pixel path (the reference the row path is tested against).</summary>
    internal void RenderPerPixel(ReadOnlySpan<byte> image, CropWindow view, Span<float> destination)
    {
        Span<float> shift = stackalloc float[Channels];
        Check(image, view, destination, shift);
        RenderGeneral(image, view, shift, destination);
    }

    /// <summary>Validates the arguments and computes the view's PCA shift per channel.</summary>
    private void Check(ReadOnlySpan<byte> image, CropWindow view, Span<float> destination, Span<float> shift)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (image.Length < InputLength) throw new ArgumentException($"The image holds {image.Length} bytes; {InputLength} expected.", nameof(image));
        if (destination.Length < OutputLength) throw new ArgumentException($"The destination holds {destination.Length} floats; {OutputLength} needed.", nameof(destination));
        int p = Options.Padding, s = CropSize;
        if (view.Top < 0 || view.Left < 0 || view.Top + s > Height + 2 * p || view.Left + s > Width + 2 * p)
            throw new ArgumentException($"Crop at ({view.Top}, {view.Left}) of side {s} leaves the {Height + 2 * p}×{Width + 2 * p} padded image.", nameof(view));
        if (view.Alphas.Count != 0 && view.Alphas.Count != Channels)
            throw new ArgumentException($"The view has {view.Alphas.Count} PCA coefficients; 0 or {Channels} expected.", nameof(view));
        shift.Clear();
        if (view.Alphas.Count > 0 && _pca is not null)
        {
            Span<float> alphas = stackalloc float[Channels];
            for (int i = 0; i < Channels; i++) alphas[i] = view.Alphas[i];
            _pca.Shift(alphas, shift);
        }
    }

    /// <summary>The unrotated view, row by row: padding rows and columns are ranges of (0 + s_c)·scale, the inside of a
    /// row one <c>RowConversion.Centre</c> call, a reflected row reversed in place.</summary>
    private void RenderRows(ReadOnlySpan<byte> image, CropWindow view, ReadOnlySpan<float> shift, Span<float> destination)
    {
        int p = Options.Padding, s = CropSize, plane = Height * Width;
        float scale = Options.Scale;
        int x0 = view.Left - p;                              // source column of (unreflected) output column 0
        int lo = Math.Clamp(-x0, 0, s), hi = Math.Clamp(Width - x0, lo, s);
        for (int c = 0; c < Channels; c++)
        {
            var source = image.Slice(c * plane, plane);
            var output = destination.Slice(c * s * s, s * s);
            float fill = (0f + shift[c]) * scale;
            for (int oy = 0; oy < s; oy++)
            {
                var row = output.Slice(oy * s, s);
                int iy = view.Top + oy - p;
                if ((uint)iy >= (uint)Height)
                {
                    row.Fill(fill);
                    continue;
                }
                row[..lo].Fill(fill);
                row[hi..].Fill(fill);
                if (hi > lo)
                {
                    int at = iy * Width + x0 + lo;
                    var pixels = source.Slice(at, hi - lo);
                    if (_meanPerPosition) RowConversion.Centre(pixels, _mean.AsSpan(c * plane + at, hi - lo), shift[c], scale, row[lo..hi]);
                    else RowConversion.Centre(pixels, _mean[c], shift[c], scale, row[lo..hi]);
                }
                if (view.Flip) row.Reverse();
            }
        }
    }

    /// <summary>The per-pixel path: any rotation, bilinear sampling.</summary>
    private void RenderGeneral(ReadOnlySpan<byte> image, CropWindow view, ReadOnlySpan<float> shift, Span<float> destination)
    {
        int p = Options.Padding, s = CropSize;
        double theta = view.RotationDegrees * Math.PI / 180;
        float cos = (float)Math.Cos(theta), sin = (float)Math.Sin(theta);
        float cy = (Height - 1) / 2f, cx = (Width - 1) / 2f;
        bool rotate = view.RotationDegrees != 0;
        float scale = Options.Scale;
        for (int c = 0; c < Channels; c++)
        {
            var plane = image.Slice(c * Height * Width, Height * Width);
            var output = destination.Slice(c * s * s, s * s);
            for (int oy = 0; oy < s; oy++)
            {
                int iy = view.Top + oy - p;
                for (int ox = 0; ox < s; ox++)
                {
                    int ix = view.Left + (view.Flip ? s - 1 - ox : ox) - p;
                    float v;
                    if (!rotate) v = Centred(plane, c, iy, ix);
                    else
                    {
                        float dy = iy - cy, dx = ix - cx;
                        v = Bilinear(plane, c, cy - sin * dx + cos * dy, cx + cos * dx + sin * dy);
                    }
                    output[oy * s + ox] = (v + shift[c]) * scale;
                }
            }
        }
    }

    /// <summary>Pixel minus mean at an integer position; 0 (the mean) outside the image.</summary>
    private float Centred(ReadOnlySpan<byte> plane, int c, int y, int x)
    {
        if ((uint)y >= (uint)Height || (uint)x >= (uint)Width) return 0f;
        int i = y * Width + x;
        return plane[i] - (_meanPerPosition ? _mean[c * Height * Width + i] : _mean[c]);
    }

    private float Bilinear(ReadOnlySpan<byte> plane, int c, float y, float x)
    {
        int y0 = (int)MathF.Floor(y), x0 = (int)MathF.Floor(x);
        float fy = y - y0, fx = x - x0;
        return (1 - fy) * ((1 - fx) * Centred(plane, c, y0, x0) + fx * Centred(plane, c, y0, x0 + 1))
             + fy * ((1 - fx) * Centred(plane, c, y0 + 1, x0) + fx * Centred(plane, c, y0 + 1, x0 + 1));
    }
}
