using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g)
    {
        Validate(g);
        var xs = Cpu(x, g.InputCount).Array;
        var ys = Cpu(y, g.OutputCount).Array;
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        For(g.Batch * g.Channels, Math.Max(1, 4096 / Math.Max(outPlane, 1)), (s, e) =>
        {
            for (int p = s; p < e; p++)
            {
                var src = new ReadOnlySpan<float>(xs, p * inPlane, inPlane);
                var dst = new Span<float>(ys, p * outPlane, outPlane);
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        int arg = ArgMax(src, g, oy, ox);
                        dst[oy * g.OutWidth + ox] = arg < 0 ? float.NegativeInfinity : src[arg];
                    }
                }
            }
        });
    }

    /// <inheritdoc/>
    public void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g)
    {
        Validate(g);
        var xs = Cpu(x, g.InputCount).Array;
        Cpu(y, g.OutputCount);
        var gs = Cpu(dy, g.OutputCount).Array;
        var ds = Cpu(dx, g.InputCount).Array;
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        // Overlapping windows only meet inside one plane, so planes are independent and the sum order is fixed.
        For(g.Batch * g.Channels, Math.Max(1, 4096 / Math.Max(outPlane, 1)), (s, e) =>
        {
            for (int p = s; p < e; p++)
            {
                var src = new ReadOnlySpan<float>(xs, p * inPlane, inPlane);
                var grad = new ReadOnlySpan<float>(gs, p * outPlane, outPlane);
                var dst = new Span<float>(ds, p * inPlane, inPlane);
                dst.Clear();
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
    private static int ArgMax(ReadOnlySpan<float> plane, in PoolGeometry g, int oy, int ox)
    {
        int y0 = oy * g.StrideHeight - g.PadHeight, x0 = ox * g.StrideWidth - g.PadWidth;
        int ya = Math.Max(y0, 0), yb = Math.Min(y0 + g.KernelHeight, g.InHeight);
        int xa = Math.Max(x0, 0), xb = Math.Min(x0 + g.KernelWidth, g.InWidth);
        int arg = -1;
        float best = float.NegativeInfinity;
        for (int iy = ya; iy < yb; iy++)
        {
            for (int ix = xa; ix < xb; ix++)
            {
                float v = plane[iy * g.InWidth + ix];
                if (arg < 0 || v > best)
                {
                    best = v;
                    arg = iy * g.InWidth + ix;
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
