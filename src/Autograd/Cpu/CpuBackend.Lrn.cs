using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g)
    {
        Validate(g);
        var xs = Cpu(x, g.Count).Array;
        var ys = Cpu(y, g.Count).Array;
        int plane = g.Height * g.Width, half = g.Size / 2;
        For(g.Batch * g.Channels, 1, (s, e) =>
        {
            for (int p = s; p < e; p++)
            {
                int n = p / g.Channels, c = p % g.Channels;
                int lo = Math.Max(0, c - half), hi = Math.Min(g.Channels - 1, c + half);
                int baseN = n * g.Channels * plane;
                for (int i = 0; i < plane; i++)
                {
                    float sum = 0f;
                    for (int j = lo; j <= hi; j++)
                    {
                        float a = xs[baseN + j * plane + i];
                        sum += a * a;
                    }
                    float scale = g.K + g.Alpha * sum;
                    ys[p * plane + i] = xs[p * plane + i] * MathF.Pow(scale, -g.Beta);
                }
            }
        });
    }

    /// <inheritdoc/>
    public void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g)
    {
        Validate(g);
        var xs = Cpu(x, g.Count).Array;
        var ys = Cpu(y, g.Count).Array;
        var gs = Cpu(dy, g.Count).Array;
        var ds = Cpu(dx, g.Count).Array;
        int plane = g.Height * g.Width, half = g.Size / 2, channels = g.Channels;
        float twoAlphaBeta = 2f * g.Alpha * g.Beta;
        // One image at a time per worker: s and dy·y/s for all of its channels live in a pooled scratch buffer.
        For(g.Batch, 1, (s, e) =>
        {
            using var scratch = Rent(2 * channels * plane);
            var scale = scratch.Array.AsSpan(0, channels * plane);
            var ratio = scratch.Array.AsSpan(channels * plane, channels * plane);
            for (int n = s; n < e; n++)
            {
                int baseN = n * channels * plane;
                for (int c = 0; c < channels; c++)
                {
                    int lo = Math.Max(0, c - half), hi = Math.Min(channels - 1, c + half);
                    for (int i = 0; i < plane; i++)
                    {
                        float sum = 0f;
                        for (int j = lo; j <= hi; j++)
                        {
                            float a = xs[baseN + j * plane + i];
                            sum += a * a;
                        }
                        float sc = g.K + g.Alpha * sum;
                        int at = c * plane + i;
                        scale[at] = sc;
                        ratio[at] = gs[baseN + at] * ys[baseN + at] / sc;
                    }
                }
                for (int c = 0; c < channels; c++)
                {
                    int lo = Math.Max(0, c - half), hi = Math.Min(channels - 1, c + half);
                    for (int i = 0; i < plane; i++)
                    {
                        float sum = 0f;
                        for (int j = lo; j <= hi; j++) sum += ratio[j * plane + i];
                        int at = c * plane + i;
                        ds[baseN + at] = gs[baseN + at] * MathF.Pow(scale[at], -g.Beta) - twoAlphaBeta * xs[baseN + at] * sum;
                    }
                }
            }
        });
    }

    private static void Validate(in LrnGeometry g)
    {
        if (g.Batch < 0 || g.Channels < 0 || g.Height < 0 || g.Width < 0 || g.Size <= 0)
            throw new ArgumentException($"Invalid LRN geometry {g}.", nameof(g));
    }
}
