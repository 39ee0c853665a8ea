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
internal sealed class KernelTimingBackend(IBackend inner) : IBackend
{
    private readonly Dictionary<string, (int Calls, double Milliseconds)> _times = [];
    private readonly Stopwatch _clock = new();

    /// <summary>The backend that runs the kernels.</summary>
    public IBackend Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public string Name => Inner.Name;

    /// <summary>Calls and milliseconds per kernel and shape since the last <see cref="Reset"/>, slowest first.</summary>
    public IReadOnlyList<(string Kernel, int Calls, double Milliseconds)> Times =>
        [.. _times.Select(p => (p.Key, p.Value.Calls, p.Value.Milliseconds)).OrderByDescending(t => t.Milliseconds)];

    /// <summary>Forgets the times so far.</summary>
    public void Reset() => _times.Clear();

    /// <inheritdoc/>
    public MemoryStats Memory => Inner.Memory;

    /// <inheritdoc/>
    public void ResetPeak() => Inner.ResetPeak();

    /// <inheritdoc/>
    public DeviceBuffer Allocate(int length) => new Buffer(this, Inner.Allocate(length));

    /// <inheritdoc/>
    public DeviceBuffer Upload(ReadOnlySpan<float> data)
    {
        Inner.Synchronize();
        _clock.Restart();
        var buffer = new Buffer(this, Inner.Upload(data));
        Inner.Synchronize();
        Add($"upload {data.Length}", _clock.Elapsed.TotalMilliseconds);
        return buffer;
    }

    /// <inheritdoc/>
    public void Download(DeviceBuffer source, Span<float> destination)
    {
        Inner.Synchronize();
        _clock.Restart();
        Inner.Download(In(source), destination);
        Add($"download {destination.Length}", _clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc/>
    public void Synchronize() => Inner.Synchronize();

    /// <inheritdoc/>
    public void Fill(DeviceBuffer destination, int count, float value) => Time("fill", () => Inner.Fill(In(destination), count, value));

    /// <inheritdoc/>
    public void Copy(DeviceBuffer source, DeviceBuffer destination, int count) => Time("copy", () => Inner.Copy(In(source), In(destination), count));

    /// <inheritdoc/>
    public void FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high) =>
        Time("uniform", () => Inner.FillUniform(In(destination), count, key, low, high));

    /// <inheritdoc/>
    public void FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std) =>
        Time("normal", () => Inner.FillNormal(In(destination), count, key, mean, std));

    /// <inheritdoc/>
    public void Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count) => Time($"unary {op}", () => Inner.Unary(op, In(x), In(y), count));

    /// <inheritdoc/>
    public void Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift) =>
        Time("affine", () => Inner.Affine(In(x), In(y), count, scale, shift));

    /// <inheritdoc/>
    public void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count) =>
        Time($"relu bwd {count}", () => Inner.ReluBackward(In(x), In(dy), In(dx), count));

    /// <inheritdoc/>
    public void Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape) =>
        Time($"binary {op} {yShape}", () => Inner.Binary(op, In(a), aShape, In(b), bShape, In(y), yShape));

    /// <inheritdoc/>
    public void Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) =>
        Time($"reduce {op} {xShape}→{yShape}", () => Inner.Reduce(op, In(x), xShape, In(y), yShape));

    /// <inheritdoc/>
    public void Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) =>
        Time($"broadcast {xShape}→{yShape}", () => Inner.Broadcast(In(x), xShape, In(y), yShape));

    /// <inheritdoc/>
    public void Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y)
    {
        Inner.Synchronize();
        _clock.Restart();
        Inner.Permute(In(x), xShape, perm, In(y));
        Inner.Synchronize();
        Add($"permute {xShape}", _clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc/>
    public void CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset, DeviceBuffer destination, Shape destinationShape,
                              int destinationOffset, int axis, int length) =>
        Time($"copy-axis-range {sourceShape}→{destinationShape}", () =>
            Inner.CopyAxisRange(In(source), sourceShape, sourceOffset, In(destination), destinationShape, destinationOffset, axis, length));

    /// <inheritdoc/>
    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c) =>
        Time($"gemm {(transposeA ? 'T' : 'N')}{(transposeB ? 'T' : 'N')} {m}×{n}×{k}", () =>
            Inner.Gemm(transposeA, transposeB, m, n, k, alpha, In(a), In(b), beta, In(c)));

    /// <inheritdoc/>
    public void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g) =>
        Time($"conv fwd {Describe(g)}", () => Inner.Conv2dForward(In(x), In(w), bias is null ? null : In(bias), In(y), g));

    /// <inheritdoc/>
    public void Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g) =>
        Time($"conv bwd-data {Describe(g)}", () => Inner.Conv2dBackwardData(In(dy), In(w), In(dx), g));

    /// <inheritdoc/>
    public void Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g) =>
        Time($"conv bwd-filter {Describe(g)}", () => Inner.Conv2dBackwardFilter(In(x), In(dy), In(dw), g));

    /// <inheritdoc/>
    public void Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g) =>
        Time($"conv bwd-bias {Describe(g)}", () => Inner.Conv2dBackwardBias(In(dy), In(db), g));

    /// <inheritdoc/>
    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) =>
        Time($"maxpool fwd {g.Channels}×{g.InHeight}²", () => Inner.MaxPool2dForward(In(x), In(y), g));

    /// <inheritdoc/>
    public void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) =>
        Time($"maxpool bwd {g.Channels}×{g.InHeight}²", () => Inner.MaxPool2dBackward(In(x), In(y), In(dy), In(dx), g));

    /// <inheritdoc/>
    public void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) =>
        Time($"avgpool fwd {g.Channels}×{g.InHeight}²", () => Inner.AvgPool2dForward(In(x), In(y), g));

    /// <inheritdoc/>
    public void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) =>
        Time($"avgpool bwd {g.Channels}×{g.InHeight}²", () => Inner.AvgPool2dBackward(In(dy), In(dx), g));

    /// <inheritdoc/>
    public void AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g) =>
        Time($"adaptive avgpool fwd {g.Channels}×{g.InHeight}²", () => Inner.AdaptiveAvgPool2dForward(In(x), In(y), g));

    /// <inheritdoc/>
    public void AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g) =>
        Time($"adaptive avgpool bwd {g.Channels}×{g.InHeight}²", () => Inner.AdaptiveAvgPool2dBackward(In(dy), In(dx), g));

    /// <inheritdoc/>
    public void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g) =>
        Time($"lrn fwd {g.Channels}×{g.Height}²", () => Inner.LrnForward(In(x), In(y), g));

    /// <inheritdoc/>
    public void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g) =>
        Time($"lrn bwd {g.Channels}×{g.Height}²", () => Inner.LrnBackward(In(x), In(y), In(dy), In(dx), g));

    /// <inheritdoc/>
    public void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log) =>
        Time($"softmax {rows}×{cols}", () => Inner.Softmax(In(x), In(y), rows, cols, log));

    /// <inheritdoc/>
    public void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log) =>
        Time($"softmax bwd {rows}×{cols}", () => Inner.SoftmaxBackward(In(y), In(dy), In(dx), rows, cols, log));

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols) =>
        Time($"softmax-xent fwd {rows}×{cols}", () => Inner.SoftmaxCrossEntropyForward(In(logits), In(labels), In(loss), In(probabilities), rows, cols));

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols) =>
        Time($"softmax-xent bwd {rows}×{cols}", () => Inner.SoftmaxCrossEntropyBackward(In(probabilities), In(labels), In(dloss), In(dlogits), rows, cols));

    /// <inheritdoc/>
    public void DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key) =>
        Time($"dropout {count}", () => Inner.DropoutForward(In(x), In(y), In(mask), count, p, key));

    /// <inheritdoc/>
    public void SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay) =>
        Time("sgd-momentum (all parameters)", () => Inner.SgdMomentumUpdate(In(w), In(g), In(v), count, learningRate, momentum, weightDecay));

    /// <inheritdoc/>
    public void AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients) =>
        Time("adam (all parameters)", () => Inner.AdamUpdate(In(w), In(g), In(m), In(v), count, coefficients));

    /// <inheritdoc/>
    public void Dispose() => Inner.Dispose();

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

    /// <summary>The inner backend's buffer behind one of this device's buffers.</summary>
    /// <exception cref="ArgumentException">The buffer belongs to another device.</exception>
    private DeviceBuffer In(DeviceBuffer buffer) => buffer is Buffer b && ReferenceEquals(b.Backend, this)
        ? b.Inner
        : throw new ArgumentException($"A buffer of {buffer.Backend.Name} was handed to the timed {Name}.", nameof(buffer));

    /// <summary>One of this device's buffers: a handle on the inner backend's buffer, released with it.</summary>
    private sealed class Buffer(KernelTimingBackend owner, DeviceBuffer inner) : DeviceBuffer(owner, inner.Length)
    {
        public DeviceBuffer Inner { get; } = inner;

        protected override void Release() => Inner.Dispose();
    }
}
