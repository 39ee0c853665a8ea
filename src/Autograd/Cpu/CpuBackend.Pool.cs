using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public unsafe void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.InputCount).Pointer;
        nint ya = (nint)Cpu(y, g.OutputCount).Pointer;
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth, w = g.InWidth;
        For(g.Batch * g.Channels, Math.Max(1, 4096 / Math.Max(outPlane, 1)), (s, e) =>
        {
            using var scratch = Rent(w);
            var column = scratch.Array.AsSpan(0, w);
            for (int p = s; p < e; p++)
            {
                float* src = (float*)xa + (long)p * inPlane;
                float* dst = (float*)ya + (long)p * outPlane;
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    // Max down the window's rows for every input column at once (vectorised), then across each window.
                    int y0 = oy * g.StrideHeight - g.PadHeight;
                    int top = Math.Max(y0, 0), bottom = Math.Min(y0 + g.KernelHeight, g.InHeight);
                    float* output = dst + oy * g.OutWidth;
                    if (top >= bottom)
                    {
                        new Span<float>(output, g.OutWidth).Fill(float.NegativeInfinity);
                        continue;
                    }
                    new ReadOnlySpan<float>(src + top * w, w).CopyTo(column);
                    for (int iy = top + 1; iy < bottom; iy++)
                        TensorPrimitives.Max(column, new ReadOnlySpan<float>(src + iy * w, w), column);
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        int x0 = ox * g.StrideWidth - g.PadWidth;
                        int left = Math.Max(x0, 0), right = Math.Min(x0 + g.KernelWidth, w);
                        float best = left < right ? column[left] : float.NegativeInfinity;
                        for (int ix = left + 1; ix < right; ix++) best = Math.Max(best, column[ix]);
                        output[ox] = best;
                    }
                }
            }
        });
    }

    /// <inheritdoc/>
    public unsafe void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.InputCount).Pointer;
        Cpu(y, g.OutputCount);
        nint ga = (nint)Cpu(dy, g.OutputCount).Pointer;
        nint da = (nint)Cpu(dx, g.InputCount).Pointer;
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        // Overlapping windows only meet inside one plane, so planes are independent and the sum order is fixed.
        For(g.Batch * g.Channels, Math.Max(1, 4096 / Math.Max(outPlane, 1)), (s, e) =>
        {
            for (int p = s; p < e; p++)
            {
                float* src = (float*)xa + (long)p * inPlane;
                float* grad = (float*)ga + (long)p * outPlane;
                float* dst = (float*)da + (long)p * inPlane;
                new Span<float>(dst, inPlane).Clear();
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        int arg = ArgMax(src, g, oy, ox);
                        if (arg >= 0) dst[arg] += grad[oy * g.OutWidth + ox];
                    }
                }
            }
        });
    }

    /// <summary>Plane index of the first maximal input of window (oy, ox) in row-major order; −1 if the window is all padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int ArgMax(float* plane, in PoolGeometry g, int oy, int ox)
    {
        int y0 = oy * g.StrideHeight - g.PadHeight, x0 = ox * g.StrideWidth - g.PadWidth, w = g.InWidth;
        int ya = Math.Max(y0, 0), yb = Math.Min(y0 + g.KernelHeight, g.InHeight);
        int xa = Math.Max(x0, 0), xb = Math.Min(x0 + g.KernelWidth, w);
        if (ya >= yb || xa >= xb) return -1;
        int arg = ya * w + xa;
        float best = plane[arg];
        for (int iy = ya; iy < yb; iy++)
        {
            float* row = plane + iy * w;
            for (int ix = xa; ix < xb; ix++)
            {
                if (row[ix] > best)
                {
                    best = row[ix];
                    arg = iy * w + ix;
                }
            }
        }
        return arg;
    }

    private static void Validate(in PoolGeometry g)
    {
        if (g.Batch < 0 || g.Channels < 0 || g.InHeight <= 0 || g.InWidth <= 0 || g.KernelHeight <= 0 || g.KernelWidth <= 0
            || g.StrideHeight <= 0 || g.StrideWidth <= 0 || g.PadHeight < 0 || g.PadWidth < 0
            || g.InHeight + 2 * g.PadHeight < g.KernelHeight || g.InWidth + 2 * g.PadWidth < g.KernelWidth)
            throw new ArgumentException($"Invalid pooling geometry {g}.", nameof(g));
    }
}
