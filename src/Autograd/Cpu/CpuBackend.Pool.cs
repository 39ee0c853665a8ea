using System.Runtime.Intrinsics.X86;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>Input floats a pooling work item should cover at least, so that small layers do not pay for a thread hop.</summary>
    private const int PoolGrainFloats = 1 << 15;

    private readonly bool _poolingAvx512 = Avx512F.IsSupported;

    /// <summary>Whether max pooling may use its AVX-512 kernels: true where the CPU has AVX-512F; tests set false to force
    /// the general loops.</summary>
    /// <exception cref="PlatformNotSupportedException">Set to true on a CPU without AVX-512F.</exception>
    internal bool PoolingAvx512
    {
        get => _poolingAvx512;
        init => _poolingAvx512 = !value || Avx512F.IsSupported
            ? value
            : throw new PlatformNotSupportedException("This CPU has no AVX-512F; the 3×3 stride-2 pooling kernels cannot run on it.");
    }

    /// <inheritdoc/>
    unsafe void IBackend.MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.InputCount).Pointer;
        nint ya = (nint)Cpu(y, g.OutputCount).Pointer;
        int planes = g.Batch * g.Channels, grain = PoolGrain(g);
        if (PoolKernels.PathFor(g, PoolingAvx512) == PoolPath.Overlapping3x3Avx512)
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
    unsafe void IBackend.MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.InputCount).Pointer;
        Cpu(y, g.OutputCount);
        nint ga = (nint)Cpu(dy, g.OutputCount).Pointer;
        nint da = (nint)Cpu(dx, g.InputCount).Pointer;
        // Overlapping windows only meet inside one plane, so planes are independent and the sum order is fixed.
        int planes = g.Batch * g.Channels, grain = PoolGrain(g);
        if (PoolKernels.PathFor(g, PoolingAvx512) == PoolPath.Overlapping3x3Avx512)
            For(planes, grain, (s, e) => PoolKernels.Backward3x3Stride2((float*)xa, (float*)ga, (float*)da, g, s, e));
        else
            For(planes, grain, (s, e) => PoolKernels.BackwardGeneral((float*)xa, (float*)ga, (float*)da, g, s, e));
    }

    /// <summary>Planes per work item: whole planes, at least <see cref="PoolGrainFloats"/> input floats.</summary>
    private static int PoolGrain(in PoolGeometry g) => Math.Max(1, PoolGrainFloats / (g.InHeight * g.InWidth));

    /// <summary>The geometry's own rule, the same for every backend and for <c>Ops</c>.</summary>
    private static void Validate(in PoolGeometry g) => g.Validate();
}
