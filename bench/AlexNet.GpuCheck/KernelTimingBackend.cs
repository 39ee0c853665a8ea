using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.GpuCheck;

/// <summary>
/// A device that forwards every kernel to another backend and times each call on its own: it synchronises before and
/// after the call, so the time is the kernel's (plus one synchronisation, a few microseconds), not the launch's. The
/// times add up per kernel and shape (<c>conv fwd 96→256 k5 s1 g2 27×27</c>), which is the per-layer profile that says
/// where a step's time goes. Only for profiling: the synchronisations make a whole step slower than it is.
/// </summary>
/// <param name="inner">The backend that runs the kernels; disposed with this one.</param>
internal sealed class KernelTimingBackend(IBackend inner) : DelegatingBackend(inner)
{
    private readonly Dictionary<string, (int Calls, double Milliseconds)> _times = [];
    private readonly Stopwatch _clock = new();

    /// <summary>Calls and milliseconds per kernel and shape since the last <see cref="Reset"/>, slowest first.</summary>
    public IReadOnlyList<(string Kernel, int Calls, double Milliseconds)> Times =>
        [.. _times.Select(p => (p.Key, p.Value.Calls, p.Value.Milliseconds)).OrderByDescending(t => t.Milliseconds)];

    /// <summary>Forgets the times so far.</summary>
    public void Reset() => _times.Clear();

    /// <inheritdoc/>
    public override DeviceBuffer Upload(ReadOnlySpan<float> data)
    {
        Inner.Synchronize();
        _clock.Restart();
        var buffer = base.Upload(data);
        Inner.Synchronize();
        Add($"upload {data.Length}", _clock.Elapsed.TotalMilliseconds);
        return buffer;
    }

    /// <inheritdoc/>
    public override void Download(DeviceBuffer source, Span<float> destination)
    {
        Inner.Synchronize();
        _clock.Restart();
        base.Download(source, destination);
        Add($"download {destination.Length}", _clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc/>
    public override void Fill(DeviceBuffer destination, int count, float value) => Time("fill", () => base.Fill(destination, count, value));

    /// <inheritdoc/>
    public override void Copy(DeviceBuffer source, DeviceBuffer destination, int count) => Time("copy", () => base.Copy(source, destination, count));

    /// <inheritdoc/>
    public override void FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high) =>
        Time("uniform", () => base.FillUniform(destination, count, key, low, high));

    /// <inheritdoc/>
    public override void FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std) =>
        Time("normal", () => base.FillNormal(destination, count, key, mean, std));

    /// <inheritdoc/>
    public override void Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count) => Time($"unary {op}", () => base.Unary(op, x, y, count));

    /// <inheritdoc/>
    public override void Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift) =>
        Time("affine", () => base.Affine(x, y, count, scale, shift));

    /// <inheritdoc/>
    public override void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count) =>
        Time($"relu bwd {count}", () => base.ReluBackward(x, dy, dx, count));

    /// <inheritdoc/>
    public override void Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape) =>
        Time($"binary {op} {yShape}", () => base.Binary(op, a, aShape, b, bShape, y, yShape));

    /// <inheritdoc/>
    public override void Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) =>
        Time($"reduce {op} {xShape}→{yShape}", () => base.Reduce(op, x, xShape, y, yShape));

    /// <inheritdoc/>
    public override void Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) =>
        Time($"broadcast {xShape}→{yShape}", () => base.Broadcast(x, xShape, y, yShape));

    /// <inheritdoc/>
    public override void Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y)
    {
        Inner.Synchronize();
        _clock.Restart();
        base.Permute(x, xShape, perm, y);
        Inner.Synchronize();
        Add($"permute {xShape}", _clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc/>
    public override void CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset, DeviceBuffer destination, Shape destinationShape,
                              int destinationOffset, int axis, int length) =>
        Time($"copy-axis-range {sourceShape}→{destinationShape}", () =>
            base.CopyAxisRange(source, sourceShape, sourceOffset, destination, destinationShape, destinationOffset, axis, length));

    /// <inheritdoc/>
    public override void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c) =>
        Time($"gemm {(transposeA ? 'T' : 'N')}{(transposeB ? 'T' : 'N')} {m}×{n}×{k}", () =>
            base.Gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c));

    /// <inheritdoc/>
    public override void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g) =>
        Time($"conv fwd {Describe(g)}", () => base.Conv2dForward(x, w, bias, y, g));

    /// <inheritdoc/>
    public override void Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g) =>
        Time($"conv bwd-data {Describe(g)}", () => base.Conv2dBackwardData(dy, w, dx, g));

    /// <inheritdoc/>
    public override void Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g) =>
        Time($"conv bwd-filter {Describe(g)}", () => base.Conv2dBackwardFilter(x, dy, dw, g));

    /// <inheritdoc/>
    public override void Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g) =>
        Time($"conv bwd-bias {Describe(g)}", () => base.Conv2dBackwardBias(dy, db, g));

    /// <inheritdoc/>
    public override void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) =>
        Time($"maxpool fwd {g.Channels}×{g.InHeight}²", () => base.MaxPool2dForward(x, y, g));

    /// <inheritdoc/>
    public override void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) =>
        Time($"maxpool bwd {g.Channels}×{g.InHeight}²", () => base.MaxPool2dBackward(x, y, dy, dx, g));

    /// <inheritdoc/>
    public override void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) =>
        Time($"avgpool fwd {g.Channels}×{g.InHeight}²", () => base.AvgPool2dForward(x, y, g));

    /// <inheritdoc/>
    public override void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) =>
        Time($"avgpool bwd {g.Channels}×{g.InHeight}²", () => base.AvgPool2dBackward(dy, dx, g));

    /// <inheritdoc/>
    public override void AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g) =>
        Time($"adaptive avgpool fwd {g.Channels}×{g.InHeight}²", () => base.AdaptiveAvgPool2dForward(x, y, g));

    /// <inheritdoc/>
    public override void AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g) =>
        Time($"adaptive avgpool bwd {g.Channels}×{g.InHeight}²", () => base.AdaptiveAvgPool2dBackward(dy, dx, g));

    /// <inheritdoc/>
    public override void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g) =>
        Time($"lrn fwd {g.Channels}×{g.Height}²", () => base.LrnForward(x, y, g));

    /// <inheritdoc/>
    public override void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g) =>
        Time($"lrn bwd {g.Channels}×{g.Height}²", () => base.LrnBackward(x, y, dy, dx, g));

    /// <inheritdoc/>
    public override void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log) =>
        Time($"softmax {rows}×{cols}", () => base.Softmax(x, y, rows, cols, log));

    /// <inheritdoc/>
    public override void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log) =>
        Time($"softmax bwd {rows}×{cols}", () => base.SoftmaxBackward(y, dy, dx, rows, cols, log));

    /// <inheritdoc/>
    public override void SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols) =>
        Time($"softmax-xent fwd {rows}×{cols}", () => base.SoftmaxCrossEntropyForward(logits, labels, loss, probabilities, rows, cols));

    /// <inheritdoc/>
    public override void SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols) =>
        Time($"softmax-xent bwd {rows}×{cols}", () => base.SoftmaxCrossEntropyBackward(probabilities, labels, dloss, dlogits, rows, cols));

    /// <inheritdoc/>
    public override void DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key) =>
        Time($"dropout {count}", () => base.DropoutForward(x, y, mask, count, p, key));

    /// <inheritdoc/>
    public override void SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay) =>
        Time("sgd-momentum (all parameters)", () => base.SgdMomentumUpdate(w, g, v, count, learningRate, momentum, weightDecay));

    /// <inheritdoc/>
    public override void AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients) =>
        Time("adam (all parameters)", () => base.AdamUpdate(w, g, m, v, count, coefficients));

    private static string Describe(ConvGeometry g) =>
        $"{g.InChannels}→{g.OutChannels} k{g.KernelHeight} s{g.StrideHeight} g{g.Groups} {g.InHeight}²";

    private void Time(string kernel, Action call)
    {
        Inner.Synchronize();
        _clock.Restart();
        call();
        Inner.Synchronize();
        Add(kernel, _clock.Elapsed.TotalMilliseconds);
    }

    private void Add(string kernel, double milliseconds)
    {
        var (calls, total) = _times.GetValueOrDefault(kernel);
        _times[kernel] = (calls + 1, total + milliseconds);
    }
}
