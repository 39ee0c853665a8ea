using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>
    /// Fewest floats of LRN work worth handing to another thread: a chunk smaller than this costs more in the thread hop
    /// than it saves.
    /// </summary>
    private const int LrnGrainFloats = 16384;

    /// <inheritdoc/>
    void IBackend.LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g) => LrnForward(x, y, g, SimdLanes.Best);

    /// <summary><see cref="IBackend.LrnForward"/> at a chosen vector width (tests pick each).</summary>
    internal unsafe void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g, LaneWidth width)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.Count).Pointer;
        nint ya = (nint)Cpu(y, g.Count).Pointer;
        if (g.Count == 0) return;
        int scratchLength = LrnKernels.ForwardScratchLength(g, width);
        // Items are (image, strip) pairs, so two threads share the work evenly even for a single image.
        For(g.Batch * LrnKernels.StripsPerImage(g, width), LrnGrain(g, width), (first, end) =>
        {
            if (scratchLength == 0)
            {
                LrnKernels.Forward(width, (float*)xa, (float*)ya, g, first, end, null);
                return;
            }
            using var scratch = Rent(scratchLength);
            LrnKernels.Forward(width, (float*)xa, (float*)ya, g, first, end, scratch.Pointer);
        });
    }

    /// <inheritdoc/>
    void IBackend.LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g) =>
        LrnBackward(x, y, dy, dx, g, SimdLanes.Best);

    /// <summary>
    /// <see cref="IBackend.LrnBackward"/> at a chosen vector
    /// width (tests pick each).
    /// </summary>
    internal unsafe void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g, LaneWidth width)
    {
        Validate(g);
        nint xa = (nint)Cpu(x, g.Count).Pointer;
        nint ya = (nint)Cpu(y, g.Count).Pointer;
        nint ga = (nint)Cpu(dy, g.Count).Pointer;
        nint da = (nint)Cpu(dx, g.Count).Pointer;
        if (g.Count == 0) return;
        int scratchLength = LrnKernels.BackwardScratchLength(g, width);
        For(g.Batch * LrnKernels.StripsPerImage(g, width), LrnGrain(g, width), (first, end) =>
        {
            using var scratch = Rent(scratchLength);
            LrnKernels.Backward(width, (float*)xa, (float*)ya, (float*)ga, (float*)da, g, first, end, scratch.Pointer);
        });
    }

    /// <summary>Fewest (image, strip) items per thread: <see cref="LrnGrainFloats"/> floats' worth.</summary>
    private static int LrnGrain(in LrnGeometry g, LaneWidth width) =>
        Math.Max(1, LrnGrainFloats / (g.Channels * SimdLanes.CountOf(width)));

    /// <summary>The geometry's own rule, the same for every backend and for <c>Ops</c>.</summary>
    private static void Validate(in LrnGeometry g) => g.Validate();
}
