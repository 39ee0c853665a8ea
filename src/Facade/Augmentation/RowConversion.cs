using System.Runtime.Intrinsics;

namespace AlexNet.Facade;

/// <summary>
/// The inner loop of <see cref="ImageTransform"/>: one row of bytes to floats as (pixel − mean + shift)·scale, with
/// 256- and 128-bit SIMD and a scalar tail.
/// </summary>
/// <remarks>Each step is one IEEE single-precision operation in the scalar formula's order (.NET does not contract them
/// into fused multiply-adds), so every lane equals the scalar result bit for bit.</remarks>
internal static class RowConversion
{
    /// <summary>Row with a per-position mean (the mean image's row).</summary>
    public static void Centre(ReadOnlySpan<byte> pixels, ReadOnlySpan<float> mean, float shift, float scale, Span<float> destination)
    {
        int n = pixels.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(shift);
            var vk = Vector256.Create(scale);
            for (; i <= n - 32; i += 32)
            {
                var (a, b, c, d) = Widen(Vector256.Create(pixels.Slice(i, 32)));
                ((a - Vector256.Create(mean.Slice(i, 8)) + vs) * vk).CopyTo(destination[i..]);
                ((b - Vector256.Create(mean.Slice(i + 8, 8)) + vs) * vk).CopyTo(destination[(i + 8)..]);
                ((c - Vector256.Create(mean.Slice(i + 16, 8)) + vs) * vk).CopyTo(destination[(i + 16)..]);
                ((d - Vector256.Create(mean.Slice(i + 24, 8)) + vs) * vk).CopyTo(destination[(i + 24)..]);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vs = Vector128.Create(shift);
            var vk = Vector128.Create(scale);
            for (; i <= n - 16; i += 16)
            {
                var (a, b, c, d) = Widen(Vector128.Create(pixels.Slice(i, 16)));
                ((a - Vector128.Create(mean.Slice(i, 4)) + vs) * vk).CopyTo(destination[i..]);
                ((b - Vector128.Create(mean.Slice(i + 4, 4)) + vs) * vk).CopyTo(destination[(i + 4)..]);
                ((c - Vector128.Create(mean.Slice(i + 8, 4)) + vs) * vk).CopyTo(destination[(i + 8)..]);
                ((d - Vector128.Create(mean.Slice(i + 12, 4)) + vs) * vk).CopyTo(destination[(i + 12)..]);
            }
        }
        for (; i < n; i++) destination[i] = (pixels[i] - mean[i] + shift) * scale;
    }

    /// <summary>Row with one mean for the whole channel (the mean pixel, or 0).</summary>
    public static void Centre(ReadOnlySpan<byte> pixels, float mean, float shift, float scale, Span<float> destination)
    {
        int n = pixels.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(mean);
            var vs = Vector256.Create(shift);
            var vk = Vector256.Create(scale);
            for (; i <= n - 32; i += 32)
            {
                var (a, b, c, d) = Widen(Vector256.Create(pixels.Slice(i, 32)));
                ((a - vm + vs) * vk).CopyTo(destination[i..]);
                ((b - vm + vs) * vk).CopyTo(destination[(i + 8)..]);
                ((c - vm + vs) * vk).CopyTo(destination[(i + 16)..]);
                ((d - vm + vs) * vk).CopyTo(destination[(i + 24)..]);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vm = Vector128.Create(mean);
            var vs = Vector128.Create(shift);
            var vk = Vector128.Create(scale);
            for (; i <= n - 16; i += 16)
            {
                var (a, b, c, d) = Widen(Vector128.Create(pixels.Slice(i, 16)));
                ((a - vm + vs) * vk).CopyTo(destination[i..]);
                ((b - vm + vs) * vk).CopyTo(destination[(i + 4)..]);
                ((c - vm + vs) * vk).CopyTo(destination[(i + 8)..]);
                ((d - vm + vs) * vk).CopyTo(destination[(i + 12)..]);
            }
        }
        for (; i < n; i++) destination[i] = (pixels[i] - mean + shift) * scale;
    }

    /// <summary>32 bytes to four vectors of 8 floats, in order.</summary>
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) Widen(Vector256<byte> bytes)
    {
        var (lo, hi) = Vector256.Widen(bytes);
        var (a, b) = Vector256.Widen(lo);
        var (c, d) = Vector256.Widen(hi);
        return (Vector256.ConvertToSingle(a.AsInt32()), Vector256.ConvertToSingle(b.AsInt32()),
                Vector256.ConvertToSingle(c.AsInt32()), Vector256.ConvertToSingle(d.AsInt32()));
    }

    /// <summary>16 bytes to four vectors of 4 floats, in order.</summary>
    private static (Vector128<float>, Vector128<float>, Vector128<float>, Vector128<float>) Widen(Vector128<byte> bytes)
    {
        var (lo, hi) = Vector128.Widen(bytes);
        var (a, b) = Vector128.Widen(lo);
        var (c, d) = Vector128.Widen(hi);
        return (Vector128.ConvertToSingle(a.AsInt32()), Vector128.ConvertToSingle(b.AsInt32()),
                Vector128.ConvertToSingle(c.AsInt32()), Vector128.ConvertToSingle(d.AsInt32()));
    }
}
