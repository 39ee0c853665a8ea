using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu;

public sealed partial class CudaBackend
{
    private readonly Dictionary<PoolGeometry, PoolingPlan> _poolPlans = new();
    private readonly Dictionary<LrnGeometry, LrnPlan> _lrnPlans = new();

    /// <inheritdoc/>
    unsafe void IBackend.MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g)
    {
        CheckPool(g);
        EnsureCurrent();
        nint px = Ptr(x, g.InputCount, nameof(x));
        nint py = Ptr(y, g.OutputCount, nameof(y));
        if (g.OutputCount == 0) return;
        var plan = PoolPlan(g);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnPoolingForward(_cudnn.Value, plan.Pool.Value, &one, plan.X.Value, px, &zero, plan.Y.Value, py));
    }

    /// <inheritdoc/>
    unsafe void IBackend.MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g)
    {
        CheckPool(g);
        EnsureCurrent();
        nint px = Ptr(x, g.InputCount, nameof(x));
        nint py = Ptr(y, g.OutputCount, nameof(y));
        nint pdy = Ptr(dy, g.OutputCount, nameof(dy));
        nint pdx = Ptr(dx, g.InputCount, nameof(dx));
        if (g.InputCount == 0) return;
        var plan = PoolPlan(g);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnPoolingBackward(_cudnn.Value, plan.Pool.Value, &one, plan.Y.Value, py, plan.Y.Value, pdy,
            plan.X.Value, px, &zero, plan.X.Value, pdx));
    }

    /// <inheritdoc/>
    /// <remarks>cuDNN cross-channel LRN (with α·n) when it computes the paper's formula exactly, else an NVRTC kernel.</remarks>
    unsafe void IBackend.LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g)
    {
        CheckLrn(g);
        EnsureCurrent();
        nint px = Ptr(x, g.Count, nameof(x));
        nint py = Ptr(y, g.Count, nameof(y));
        if (g.Count == 0) return;
        if (LrnPlan.CudnnMatches(g))
        {
            var plan = LrnPlanFor(g);
            float one = 1f, zero = 0f;
            Cudnn.Check(Cudnn.cudnnLRNCrossChannelForward(_cudnn.Value, plan.Lrn.Value, Cudnn.LrnCrossChannel, &one, plan.X.Value, px,
                &zero, plan.X.Value, py));
            return;
        }
        int n = g.Count, channels = g.Channels, plane = g.Height * g.Width, half = g.Size / 2;
        float alpha = g.Alpha, beta = g.Beta, k = g.K;
        void** args = stackalloc void*[] { &px, &py, &n, &channels, &plane, &half, &alpha, &beta, &k };
        _kernels.Launch("k_lrn_forward", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g)
    {
        CheckLrn(g);
        EnsureCurrent();
        nint px = Ptr(x, g.Count, nameof(x));
        nint py = Ptr(y, g.Count, nameof(y));
        nint pdy = Ptr(dy, g.Count, nameof(dy));
        nint pdx = Ptr(dx, g.Count, nameof(dx));
        if (g.Count == 0) return;
        if (LrnPlan.CudnnMatches(g))
        {
            var plan = LrnPlanFor(g);
            float one = 1f, zero = 0f;
            Cudnn.Check(Cudnn.cudnnLRNCrossChannelBackward(_cudnn.Value, plan.Lrn.Value, Cudnn.LrnCrossChannel, &one, plan.X.Value, py,
                plan.X.Value, pdy, plan.X.Value, px, &zero, plan.X.Value, pdx));
            return;
        }
        int n = g.Count, channels = g.Channels, plane = g.Height * g.Width, half = g.Size / 2;
        float alpha = g.Alpha, beta = g.Beta, k = g.K;
        void** args = stackalloc void*[] { &px, &py, &pdy, &pdx, &n, &channels, &plane, &half, &alpha, &beta, &k };
        _kernels.Launch("k_lrn_backward", n, _streamValue, args);
    }

    /// <summary>The geometry's own rule, the same for every backend and for <c>Ops</c>.</summary>
    private static void CheckPool(PoolGeometry g) => g.Validate();

    /// <summary>The geometry's own rule, the same for every backend and for <c>Ops</c>.</summary>
    private static void CheckLrn(LrnGeometry g) => g.Validate();

    private PoolingPlan PoolPlan(PoolGeometry g)
    {
        if (!_poolPlans.TryGetValue(g, out var plan))
        {
            plan = new PoolingPlan(g);
            _poolPlans[g] = plan;
        }
        return plan;
    }

    private LrnPlan LrnPlanFor(LrnGeometry g)
    {
        if (!_lrnPlans.TryGetValue(g, out var plan))
        {
            plan = new LrnPlan(g);
            _lrnPlans[g] = plan;
        }
        return plan;
    }
}
