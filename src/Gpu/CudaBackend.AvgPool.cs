using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu;

public sealed partial class CudaBackend
{
    private readonly Dictionary<PoolGeometry, PoolingPlan> _averagePoolPlans = new();

    /// <inheritdoc/>
    /// <remarks>cuDNN average pooling that counts padding (CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING).</remarks>
    unsafe void IBackend.AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g)
    {
        CheckPool(g);
        EnsureCurrent();
        nint px = Ptr(x, g.InputCount, nameof(x));
        nint py = Ptr(y, g.OutputCount, nameof(y));
        if (g.OutputCount == 0) return;
        var plan = AveragePoolPlan(g);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnPoolingForward(_cudnn.Value, plan.Pool.Value, &one, plan.X.Value, px, &zero, plan.Y.Value, py));
    }

    /// <inheritdoc/>
    /// <remarks>cuDNN's backward reads y and x only for max pooling; dy and dx stand in for them here, so the caller need
    /// not keep the forward's tensors.</remarks>
    unsafe void IBackend.AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g)
    {
        CheckPool(g);
        EnsureCurrent();
        nint pdy = Ptr(dy, g.OutputCount, nameof(dy));
        nint pdx = Ptr(dx, g.InputCount, nameof(dx));
        if (g.InputCount == 0) return;
        var plan = AveragePoolPlan(g);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnPoolingBackward(_cudnn.Value, plan.Pool.Value, &one, plan.Y.Value, pdy, plan.Y.Value, pdy,
            plan.X.Value, pdx, &zero, plan.X.Value, pdx));
    }

    /// <inheritdoc/>
    /// <remarks>An NVRTC kernel, one thread per output, summing in the CPU backend's order.</remarks>
    unsafe void IBackend.AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g)
    {
        CheckAdaptive(g);
        EnsureCurrent();
        nint px = Ptr(x, g.InputCount, nameof(x));
        nint py = Ptr(y, g.OutputCount, nameof(y));
        int n = g.OutputCount, inH = g.InHeight, inW = g.InWidth, outH = g.OutHeight, outW = g.OutWidth;
        void** args = stackalloc void*[] { &px, &py, &n, &inH, &inW, &outH, &outW };
        _kernels.Launch("k_adaptive_avg_forward", n, _streamValue, args);
    }

    /// <inheritdoc/>
    /// <remarks>An NVRTC kernel, one thread per input gathering from the outputs whose windows hold it (no atomics, so
    /// deterministic), summing in the CPU backend's order.</remarks>
    unsafe void IBackend.AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g)
    {
        CheckAdaptive(g);
        EnsureCurrent();
        nint pdy = Ptr(dy, g.OutputCount, nameof(dy));
        nint pdx = Ptr(dx, g.InputCount, nameof(dx));
        int n = g.InputCount, inH = g.InHeight, inW = g.InWidth, outH = g.OutHeight, outW = g.OutWidth;
        void** args = stackalloc void*[] { &pdy, &pdx, &n, &inH, &inW, &outH, &outW };
        _kernels.Launch("k_adaptive_avg_backward", n, _streamValue, args);
    }

    private static void CheckAdaptive(AdaptivePoolGeometry g)
    {
        if (!g.IsValid) throw new ArgumentException($"Invalid adaptive pooling geometry {g}: every size must be positive.", nameof(g));
    }

    private PoolingPlan AveragePoolPlan(PoolGeometry g)
    {
        if (!_averagePoolPlans.TryGetValue(g, out var plan))
        {
            plan = new PoolingPlan(g, average: true);
            _averagePoolPlans[g] = plan;
        }
        return plan;
    }
}
