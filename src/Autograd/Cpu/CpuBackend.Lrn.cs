using System.Numerics.Tensors;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public unsafe void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.Count).Pointer;
        nint ya = (nint)Cpu(y, g.Count).Pointer;
        int plane = g.Height * g.Width, half = g.Size / 2, channels = g.Channels;
        if (g.Count == 0) return;
        For(g.Batch * channels, 1, (start, end) =>
        {
            using var scratch = Rent(plane);
            var s = scratch.Array.AsSpan(0, plane);
            for (int p = start; p < end; p++)
            {
                int n = p / channels, c = p % channels;
                float* image = (float*)xa + (long)n * channels * plane;
                LrnKernels.Scale(image, plane, Math.Max(0, c - half), Math.Min(channels - 1, c + half), g.Alpha, g.K, s);
                LrnKernels.NegativePower(s, g.Beta);
                TensorPrimitives.Multiply(new ReadOnlySpan<float>(image + (long)c * plane, plane), s, new Span<float>((float*)ya + (long)p * plane, plane));
            }
        });
    }

    /// <inheritdoc/>
    public unsafe void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.Count).Pointer;
        nint ya = (nint)Cpu(y, g.Count).Pointer;
        nint ga = (nint)Cpu(dy, g.Count).Pointer;
        nint da = (nint)Cpu(dx, g.Count).Pointer;
        int plane = g.Height * g.Width, half = g.Size / 2, channels = g.Channels, size = channels * plane;
        float twoAlphaBeta = 2f * g.Alpha * g.Beta;
        if (g.Count == 0) return;
        // One image per work item: s and dy·y/s for all of its channels live in a pooled scratch buffer.
        For(g.Batch, 1, (start, end) =>
        {
            using var scratch = Rent(2 * size + plane);
            var all = scratch.Array;
            for (int n = start; n < end; n++)
            {
                long at = (long)n * size;
                float* image = (float*)xa + at;
                for (int c = 0; c < channels; c++)
                {
                    var s = all.AsSpan(c * plane, plane);
                    var ratio = all.AsSpan(size + c * plane, plane);
                    LrnKernels.Scale(image, plane, Math.Max(0, c - half), Math.Min(channels - 1, c + half), g.Alpha, g.K, s);
                    long o = at + (long)c * plane;
                    TensorPrimitives.Multiply(new ReadOnlySpan<float>((float*)ga + o, plane), new ReadOnlySpan<float>((float*)ya + o, plane), ratio);
                    TensorPrimitives.Divide(ratio, s, ratio);
                }
                var acc = all.AsSpan(2 * size, plane);
                for (int c = 0; c < channels; c++)
                {
                    int lo = Math.Max(0, c - half), hi = Math.Min(channels - 1, c + half);
                    all.AsSpan(size + lo * plane, plane).CopyTo(acc);
                    for (int j = lo + 1; j <= hi; j++) TensorPrimitives.Add(acc, all.AsSpan(size + j * plane, plane), acc);
                    var s = all.AsSpan(c * plane, plane);
                    LrnKernels.NegativePower(s, g.Beta);
                    long o = at + (long)c * plane;
                    var d = new Span<float>((float*)da + o, plane);
                    // dx = dy·s^−β − 2αβ·x·Σ_window dy·y/s
                    TensorPrimitives.Multiply(new ReadOnlySpan<float>((float*)ga + o, plane), s, d);
                    TensorPrimitives.Multiply(acc, -twoAlphaBeta, acc);
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>((float*)xa + o, plane), acc, d, d);
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
