using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// A zero-padded copy of a batch of NCHW images, so that the convolution packers read every tap without bounds checks
/// and may read whole vectors past a run (<see cref="Slack"/> floats at the end). A strided convolution without padding
/// reads the input itself, since its packer copies exactly.
/// </summary>
internal static unsafe class PaddedImages
{
    /// <summary>Sizes of the padded planes.</summary>
    /// <param name="Height">Padded height H + 2·pad.</param>
    /// <param name="Width">Padded width W + 2·pad.</param>
    /// <param name="Channels">Channels per image.</param>
    internal readonly record struct Layout(int Height, int Width, int Channels)
    {
        /// <summary>Floats per padded plane.</summary>
        public long PlaneSize => (long)Height * Width;

        /// <summary>Floats per padded image.</summary>
        public long ImageSize => PlaneSize * Channels;
    }

    /// <summary>Floats readable past the last image.</summary>
    public const int Slack = 32;

    /// <summary>The layout of <paramref name="g"/>'s padded input.</summary>
    public static Layout LayoutOf(in ConvGeometry g) => new(g.InHeight + 2 * g.PadHeight, g.InWidth + 2 * g.PadWidth, g.InChannels);

    /// <summary>Returns the padded input: <paramref name="x"/> itself when no copy is needed, else a pooled copy in <paramref name="owner"/>.</summary>
    public static float* Create(CpuBackend backend, float* x, in ConvGeometry g, out CpuBuffer? owner)
    {
        owner = null;
        if (g.PadHeight == 0 && g.PadWidth == 0 && g.StrideWidth > 1) return x;
        var layout = LayoutOf(g);
        long total = layout.ImageSize * g.Batch + Slack;
        if (total > int.MaxValue) throw new ArgumentException($"The padded input of {g} has more than {int.MaxValue} elements.");
        owner = backend.Rent((int)total);
        new Span<float>(owner.Pointer + total - Slack, Slack).Clear();
        nint src = (nint)x, dst = (nint)owner.Pointer;
        int h = g.InHeight, w = g.InWidth, ph = g.PadHeight, pw = g.PadWidth;
        backend.For(g.Batch * g.InChannels, 16, (s, e) =>
        {
            for (int plane = s; plane < e; plane++)
            {
                float* from = (float*)src + (long)plane * h * w;
                float* to = (float*)dst + plane * layout.PlaneSize;
                new Span<float>(to, ph * layout.Width).Clear();
                for (int row = 0; row < h; row++)
                {
                    float* line = to + (long)(ph + row) * layout.Width;
                    new Span<float>(line, pw).Clear();
                    new ReadOnlySpan<float>(from + (long)row * w, w).CopyTo(new Span<float>(line + pw, w));
                    new Span<float>(line + pw + w, pw).Clear();
                }
                new Span<float>(to + (long)(ph + h) * layout.Width, ph * layout.Width).Clear();
            }
        });
        return (float*)dst;
    }
}
