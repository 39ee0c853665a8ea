using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    void IBackend.AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g)
    {
        Validate(g);
        if (2 * g.PadHeight > g.KernelHeight || 2 * g.PadWidth > g.KernelWidth)
            throw new ArgumentException($"Average pooling {g}: padding must be at most half the window.", nameof(g));
        AverageForward(x, y, AveragingWindows.Of(g), g.InputCount, g.OutputCount);
    }

    /// <inheritdoc/>
    void IBackend.AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g)
    {
        Validate(g);
        if (2 * g.PadHeight > g.KernelHeight || 2 * g.PadWidth > g.KernelWidth)
            throw new ArgumentException($"Average pooling {g}: padding must be at most half the window.", nameof(g));
        AverageBackward(dy, dx, AveragingWindows.Of(g), g.InputCount, g.OutputCount);
    }

    /// <inheritdoc/>
    void IBackend.AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g)
    {
        Validate(g);
        AverageForward(x, y, AveragingWindows.Of(g), g.InputCount, g.OutputCount);
    }

    /// <inheritdoc/>
    void IBackend.AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g)
    {
        Validate(g);
        AverageBackward(dy, dx, AveragingWindows.Of(g), g.InputCount, g.OutputCount);
    }

    private unsafe void AverageForward(DeviceBuffer x, DeviceBuffer y, AveragingWindows a, int inputCount, int outputCount)
    {
        nint xa = (nint)Cpu(x, inputCount).Pointer;
        nint ya = (nint)Cpu(y, outputCount).Pointer;
        For(a.Planes, AverageGrain(a), (s, e) =>
        {
            using var scratch = Rent(a.InWidth);
            AvgPoolKernels.Forward((float*)xa, (float*)ya, a, s, e, scratch.Array);
        });
    }

    private unsafe void AverageBackward(DeviceBuffer dy, DeviceBuffer dx, AveragingWindows a, int inputCount, int outputCount)
    {
        nint ga = (nint)Cpu(dy, outputCount).Pointer;
        nint da = (nint)Cpu(dx, inputCount).Pointer;
        // Windows only meet inside one plane, so planes are independent and the sum order is fixed.
        For(a.Planes, AverageGrain(a), (s, e) =>
        {
            using var scratch = Rent(a.InWidth);
            AvgPoolKernels.Backward((float*)ga, (float*)da, a, s, e, scratch.Array);
        });
    }

    /// <summary>Planes per work item: whole planes, at least <see cref="PoolGrainFloats"/> input or output floats.</summary>
    private static int AverageGrain(AveragingWindows a) =>
        Math.Max(1, PoolGrainFloats / Math.Max(a.InHeight * a.InWidth, a.OutHeight * a.OutWidth));

    private static void Validate(in AdaptivePoolGeometry g)
    {
        if (!g.IsValid) throw new ArgumentException($"Invalid adaptive pooling geometry {g}: every size must be positive.", nameof(g));
    }
}
