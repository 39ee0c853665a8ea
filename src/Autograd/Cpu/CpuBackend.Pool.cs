using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>Input floats a pooling work item should cover at least, so that small layers do not pay for a thread hop.</summary>
    private const int PoolGrainFloats = 1 << 15;

    /// <inheritdoc/>
    public unsafe void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.InputCount).Pointer;
        nint ya = (nint)Cpu(y, g.OutputCount).Pointer;
        int planes = g.Batch * g.Channels, grain = PoolGrain(g);
        if (PoolKernels.HasOverlapping3x3(g))
        {
            For(planes, grain, (s, e) => PoolKernels.Forward3x3Stride2((float*)xa, (float*)ya, g, s, e));
            return;
        }
        For(planes, grain, (s, e) =>
        {
            using var scratch = Rent(g.InWidth);
            PoolKernels.ForwardGeneral((float*)xa, (float*)ya, g, s, e, scratch.Array);
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
        // Overlapping windows only meet inside one plane, so planes are independent and the sum order is fixed.
        int planes = g.Batch * g.Channels, grain = PoolGrain(g);
        if (PoolKernels.HasOverlapping3x3(g))
            For(planes, grain, (s, e) => PoolKernels.Backward3x3Stride2((float*)xa, (float*)ga, (float*)da, g, s, e));
        else
            For(planes, grain, (s, e) => PoolKernels.BackwardGeneral((float*)xa, (float*)ga, (float*)da, g, s, e));
    }

    /// <summary>Planes per work item: whole planes, at least <see cref="PoolGrainFloats"/> input floats.</summary>
    private static int PoolGrain(in PoolGeometry g) => Math.Max(1, PoolGrainFloats / (g.InHeight * g.InWidth));

    /// <summary>The geometry's own rule, the same for every backend and for <c>Ops</c>.</summary>
    private static void Validate(in PoolGeometry g) => g.Validate();
}
