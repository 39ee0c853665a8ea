using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// A zero-padded copy of a batch of NCHW images, so that the convolution packers read every tap without bounds checks
/// and may read whole vectors past a run (<see cref="Slack"/> floats at the end). Optionally each padded row is split
/// into <c>stride</c> phases (columns ≡ q mod stride, for each q), which turns the strided reads of a strided
/// convolution into contiguous ones: column ox·stride + kj is phase kj mod stride at position ox + kj / stride.
/// </summary>
internal static unsafe class PaddedImages
{
    /// <summary>Floats readable past the last image.</summary>
    public const int Slack = 32;

    /// <summary>Shape of the padded planes.</summary>
    /// <param name="Height">Padded height H + 2·pad.</param>
    /// <param name="Phases">Phases per row (the column stride, or 1).</param>
    /// <param name="PhaseLength">Columns per phase: ⌈(W + 2·pad) / Phases⌉.</param>
    /// <param name="Channels">Channels per image.</param>
    internal readonly record struct Layout(int Height, int Phases, int PhaseLength, int Channels)
    {
        /// <summary>Floats per padded row.</summary>
        public int RowStride => Phases * PhaseLength;

        /// <summary>Floats per padded plane.</summary>
        public long PlaneSize => (long)Height * RowStride;

        /// <summary>Floats per padded image.</summary>
        public long ImageSize => PlaneSize * Channels;

        /// <summary>Where padded column <paramref name="column"/> lies within its row.</summary>
        public int ColumnOffset(int column) => column % Phases * PhaseLength + column / Phases;
    }

    /// <summary>The layout of <paramref name="g"/>'s padded input, split into phases when <paramref name="phased"/>.</summary>
    public static Layout LayoutOf(in ConvGeometry g, bool phased)
    {
        int width = g.InWidth + 2 * g.PadWidth, phases = phased ? g.StrideWidth : 1;
        return new(g.InHeight + 2 * g.PadHeight, phases, (width + phases - 1) / phases, g.InChannels);
    }

    /// <summary>Copies <paramref name="x"/> into a pooled padded buffer (the caller disposes it).</summary>
    public static CpuBuffer Create(CpuBackend backend, float* x, in ConvGeometry g, Layout layout)
    {
        long total = layout.ImageSize * g.Batch + Slack;
        if (total > int.MaxValue) throw new ArgumentException($"The padded input of {g} has more than {int.MaxValue} elements.");
        var owner = backend.Rent((int)total);
        new Span<float>(owner.Pointer + total - Slack, Slack).Clear();
        nint src = (nint)x, dst = (nint)owner.Pointer;
        int h = g.InHeight, w = g.InWidth, ph = g.PadHeight, pw = g.PadWidth, stride = layout.RowStride;
        backend.For(g.Batch * g.InChannels, 16, (s, e) =>
        {
            for (int plane = s; plane < e; plane++)
            {
                float* from = (float*)src + (long)plane * h * w;
                float* to = (float*)dst + plane * layout.PlaneSize;
                new Span<float>(to, ph * stride).Clear();
                new Span<float>(to + (long)(ph + h) * stride, (layout.Height - ph - h) * stride).Clear();
                for (int row = 0; row < h; row++)
                {
                    float* line = to + (long)(ph + row) * stride;
                    float* input = from + (long)row * w;
                    if (layout.Phases == 1)
                    {
                        // Rows are short (6 to 227 floats): inline vector copies instead of a Memmove call per piece.
                        SmallCopy.Clear(line, pw);
                        SmallCopy.Contiguous(input, line + pw, w);
                        SmallCopy.Clear(line + pw + w, stride - pw - w);
                        continue;
                    }
                    for (int q = 0; q < layout.Phases; q++)
                    {
                        for (int i = 0; i < layout.PhaseLength; i++)
                        {
                            int column = i * layout.Phases + q - pw;
                            line[q * layout.PhaseLength + i] = (uint)column < (uint)w ? input[column] : 0f;
                        }
                    }
                }
            }
        });
        return owner;
    }
}
