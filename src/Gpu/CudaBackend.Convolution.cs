using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu;

public sealed partial class CudaBackend
{
    private const int FwdImplicitGemm = 0;
    private const int BwdDataAlgo1 = 1;
    private const int BwdFilterAlgo1 = 1;

    /// <summary>
    /// Backward-data algorithms not used for grouped convolutions: FFT, FFT_TILING and WINOGRAD_NONFUSED. On an H200
    /// with cuDNN 9.19 one of them gave wrong input gradients for a grouped 5×5 convolution (max relative error 0.18
    /// against the CPU reference, bench/results/gpu-check-h200-2026-11-27.log); other projects report the same family
    /// of failures for grouped convolutions (PaddlePaddle#20712).
    /// </summary>
    private static readonly int[] GroupedBackwardDataExcluded = [2, 3, 5];

    private readonly Dictionary<ConvGeometry, ConvolutionPlan> _convPlans = new();
    private nint _workspace;
    private long _workspaceBytes;

    /// <summary>The convolution algorithms chosen so far, one line per geometry and direction (for logs).</summary>
    public IReadOnlyList<string> ConvolutionAlgorithms =>
        _convPlans.SelectMany(kv => new[] { ("fwd", kv.Value.Forward), ("bwd-data", kv.Value.BackwardData), ("bwd-filter", kv.Value.BackwardFilter) }
                .Where(t => t.Item2 is not null)
                .Select(t => $"{kv.Key}: {t.Item1} algo {t.Item2!.Algo} ({t.Item2.Source}, workspace {t.Item2.WorkspaceBytes} B, math {t.Item2.MathType})"))
            .ToArray();

    private int DefaultConvMath => _options.AllowTf32 ? Cudnn.TensorOpMath : Cudnn.FmaMath;

    /// <inheritdoc/>
    unsafe void IBackend.Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g)
    {
        CheckConv(g);
        EnsureCurrent();
        nint px = Ptr(x, g.InputCount, nameof(x));
        nint pw = Ptr(w, g.WeightCount, nameof(w));
        nint py = Ptr(y, g.OutputCount, nameof(y));
        nint pb = bias is null ? 0 : Ptr(bias, g.OutChannels, nameof(bias));
        if (g.OutputCount == 0) return;
        var plan = Plan(g);
        var choice = plan.Forward ??= ChooseForward(plan);
        EnsureWorkspace(choice.WorkspaceBytes);
        plan.UseMath(choice.MathType);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnConvolutionForward(_cudnn.Value, &one, plan.X.Value, px, plan.W.Value, pw, plan.Conv.Value, choice.Algo,
            _workspace, (nuint)choice.WorkspaceBytes, &zero, plan.Y.Value, py));
        if (bias is not null)
        {
            Cudnn.Check(Cudnn.cudnnAddTensor(_cudnn.Value, &one, plan.Bias.Value, pb, &one, plan.Y.Value, py));
        }
    }

    /// <inheritdoc/>
    unsafe void IBackend.Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g)
    {
        CheckConv(g);
        EnsureCurrent();
        nint pdy = Ptr(dy, g.OutputCount, nameof(dy));
        nint pw = Ptr(w, g.WeightCount, nameof(w));
        nint pdx = Ptr(dx, g.InputCount, nameof(dx));
        if (g.InputCount == 0) return;
        var plan = Plan(g);
        var choice = plan.BackwardData ??= ChooseBackwardData(plan);
        EnsureWorkspace(choice.WorkspaceBytes);
        plan.UseMath(choice.MathType);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnConvolutionBackwardData(_cudnn.Value, &one, plan.W.Value, pw, plan.Y.Value, pdy, plan.Conv.Value, choice.Algo,
            _workspace, (nuint)choice.WorkspaceBytes, &zero, plan.X.Value, pdx));
    }

    /// <inheritdoc/>
    unsafe void IBackend.Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g)
    {
        CheckConv(g);
        EnsureCurrent();
        nint px = Ptr(x, g.InputCount, nameof(x));
        nint pdy = Ptr(dy, g.OutputCount, nameof(dy));
        nint pdw = Ptr(dw, g.WeightCount, nameof(dw));
        if (g.Batch == 0)
        {
            Kernels.Fill(dw, g.WeightCount, 0f); // an empty batch contributes no gradient (cuDNN refuses a batch of 0)
            return;
        }
        var plan = Plan(g);
        var choice = plan.BackwardFilter ??= ChooseBackwardFilter(plan);
        EnsureWorkspace(choice.WorkspaceBytes);
        plan.UseMath(choice.MathType);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnConvolutionBackwardFilter(_cudnn.Value, &one, plan.X.Value, px, plan.Y.Value, pdy, plan.Conv.Value, choice.Algo,
            _workspace, (nuint)choice.WorkspaceBytes, &zero, plan.W.Value, pdw));
    }

    /// <inheritdoc/>
    unsafe void IBackend.Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g)
    {
        CheckConv(g);
        EnsureCurrent();
        nint pdy = Ptr(dy, g.OutputCount, nameof(dy));
        nint pdb = Ptr(db, g.OutChannels, nameof(db));
        if (g.OutChannels == 0) return;
        if (g.OutputCount == 0)
        {
            Kernels.Fill(db, g.OutChannels, 0f);
            return;
        }
        var plan = Plan(g);
        float one = 1f, zero = 0f;
        Cudnn.Check(Cudnn.cudnnConvolutionBackwardBias(_cudnn.Value, &one, plan.Y.Value, pdy, &zero, plan.Bias.Value, pdb));
    }

    /// <summary>The geometry's own rule, the same for every backend and for <c>Ops</c>.</summary>
    private static void CheckConv(ConvGeometry g) => g.Validate();

    private ConvolutionPlan Plan(ConvGeometry g)
    {
        if (!_convPlans.TryGetValue(g, out var plan))
        {
            plan = new ConvolutionPlan(g, DefaultConvMath);
            _convPlans[g] = plan;
        }
        return plan;
    }

    private unsafe AlgorithmChoice ChooseForward(ConvolutionPlan p)
    {
        p.UseMath(DefaultConvMath);
        Cudnn.Check(Cudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(_cudnn.Value, out int max));
        var perf = new ConvolutionAlgoPerf[Math.Max(max, 1)];
        fixed (ConvolutionAlgoPerf* r = perf)
        {
            if (_options.BenchmarkConvolutionAlgorithms &&
                Cudnn.cudnnFindConvolutionForwardAlgorithm(_cudnn.Value, p.X.Value, p.W.Value, p.Conv.Value, p.Y.Value, perf.Length, out int found, r) == 0 &&
                Pick(perf, found, "find") is { } measured)
            {
                return measured;
            }
            if (Cudnn.cudnnGetConvolutionForwardAlgorithm_v7(_cudnn.Value, p.X.Value, p.W.Value, p.Conv.Value, p.Y.Value, perf.Length, out int got, r) == 0 &&
                Pick(perf, got, "heuristic") is { } guessed)
            {
                return guessed;
            }
        }
        Cudnn.Check(Cudnn.cudnnGetConvolutionForwardWorkspaceSize(_cudnn.Value, p.X.Value, p.W.Value, p.Conv.Value, p.Y.Value, FwdImplicitGemm, out var bytes));
        return new AlgorithmChoice(FwdImplicitGemm, (long)bytes, DefaultConvMath, "fallback");
    }

    private unsafe AlgorithmChoice ChooseBackwardData(ConvolutionPlan p)
    {
        p.UseMath(DefaultConvMath);
        int[] excluded = p.Geometry.Groups > 1 ? GroupedBackwardDataExcluded : [];
        Cudnn.Check(Cudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(_cudnn.Value, out int max));
        var perf = new ConvolutionAlgoPerf[Math.Max(max, 1)];
        fixed (ConvolutionAlgoPerf* r = perf)
        {
            if (_options.BenchmarkConvolutionAlgorithms &&
                Cudnn.cudnnFindConvolutionBackwardDataAlgorithm(_cudnn.Value, p.W.Value, p.Y.Value, p.Conv.Value, p.X.Value, perf.Length, out int found, r) == 0 &&
                Pick(perf, found, "find", excluded) is { } measured)
            {
                return measured;
            }
            if (Cudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(_cudnn.Value, p.W.Value, p.Y.Value, p.Conv.Value, p.X.Value, perf.Length, out int got, r) == 0 &&
                Pick(perf, got, "heuristic", excluded) is { } guessed)
            {
                return guessed;
            }
        }
        Cudnn.Check(Cudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(_cudnn.Value, p.W.Value, p.Y.Value, p.Conv.Value, p.X.Value, BwdDataAlgo1, out var bytes));
        return new AlgorithmChoice(BwdDataAlgo1, (long)bytes, DefaultConvMath, "fallback");
    }

    private unsafe AlgorithmChoice ChooseBackwardFilter(ConvolutionPlan p)
    {
        p.UseMath(DefaultConvMath);
        Cudnn.Check(Cudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(_cudnn.Value, out int max));
        var perf = new ConvolutionAlgoPerf[Math.Max(max, 1)];
        fixed (ConvolutionAlgoPerf* r = perf)
        {
            if (_options.BenchmarkConvolutionAlgorithms &&
                Cudnn.cudnnFindConvolutionBackwardFilterAlgorithm(_cudnn.Value, p.X.Value, p.Y.Value, p.Conv.Value, p.W.Value, perf.Length, out int found, r) == 0 &&
                Pick(perf, found, "find") is { } measured)
            {
                return measured;
            }
            if (Cudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(_cudnn.Value, p.X.Value, p.Y.Value, p.Conv.Value, p.W.Value, perf.Length, out int got, r) == 0 &&
                Pick(perf, got, "heuristic") is { } guessed)
            {
                return guessed;
            }
        }
        Cudnn.Check(Cudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(_cudnn.Value, p.X.Value, p.Y.Value, p.Conv.Value, p.W.Value, BwdFilterAlgo1, out var bytes));
        return new AlgorithmChoice(BwdFilterAlgo1, (long)bytes, DefaultConvMath, "fallback");
    }

    /// <summary>
    /// The first usable result in cuDNN's order (fastest first): status SUCCESS, deterministic, workspace within the
    /// limit and, unless TF32 is allowed, not a tensor-op math type. Without TF32 the algorithm runs with FMA math.
    /// </summary>
    private AlgorithmChoice? Pick(ConvolutionAlgoPerf[] perf, int count, string source, int[]? excluded = null)
    {
        for (int i = 0; i < Math.Min(count, perf.Length); i++)
        {
            var r = perf[i];
            if (r.Status != Cudnn.StatusSuccess || r.Determinism != Cudnn.Deterministic) continue;
            if (excluded is not null && excluded.Contains(r.Algo)) continue;
            if ((long)r.Memory > _options.MaxWorkspaceBytes) continue;
            bool tensorOps = r.MathType is Cudnn.TensorOpMath or 2;
            if (tensorOps && !_options.AllowTf32) continue;
            return new AlgorithmChoice(r.Algo, (long)r.Memory, _options.AllowTf32 ? r.MathType : Cudnn.FmaMath, source);
        }
        return null;
    }

    private void EnsureWorkspace(long bytes)
    {
        if (bytes <= _workspaceBytes) return;
        _stream.Synchronize();
        FreeWorkspace();
        _workspace = _pool.AllocateRaw(bytes);
        _workspaceBytes = bytes;
    }

    private void FreeWorkspace()
    {
        if (_workspace != 0) CudaRuntime.cudaFree(_workspace);
        _workspace = 0;
        _workspaceBytes = 0;
    }

    private void DisposePlans()
    {
        foreach (var plan in _convPlans.Values) plan.Dispose();
        _convPlans.Clear();
        foreach (var plan in _poolPlans.Values) plan.Dispose();
        _poolPlans.Clear();
        foreach (var plan in _averagePoolPlans.Values) plan.Dispose();
        _averagePoolPlans.Clear();
        foreach (var plan in _lrnPlans.Values) plan.Dispose();
        _lrnPlans.Clear();
    }
}
