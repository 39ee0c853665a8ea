using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.GpuCheck;

/// <summary>
/// A device that forwards every kernel to another backend (CUDA or CPU) and records every upload into it and every
/// download from it in a <see cref="TransferLog"/>: <see cref="Ops.To"/> is a download from the source device followed
/// by an upload to the target, so the log shows each transfer between devices with its direction and size.
/// </summary>
/// <param name="inner">The backend that runs the kernels; disposed with this one.</param>
/// <param name="log">Where every upload and download is recorded, shared by the devices of one placement so that
/// <see cref="TransferLog.Summarise"/> can pair them into transfers.</param>
/// <param name="label">Name shown for this device; the inner backend's name when null.</param>
internal sealed class TransferLoggingBackend(IBackend inner, TransferLog log, string? label = null) : IBackend
{
    private readonly TransferLog _log = log ?? throw new ArgumentNullException(nameof(log));

    /// <summary>The backend that runs the kernels.</summary>
    public IBackend Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public string Name { get; } = label ?? inner.Name;

    /// <inheritdoc/>
    public MemoryStats Memory => Inner.Memory;

    /// <inheritdoc/>
    public void ResetPeak() => Inner.ResetPeak();

    /// <inheritdoc/>
    public DeviceBuffer Allocate(int length) => new Buffer(this, Inner.Allocate(length));

    /// <inheritdoc/>
    public DeviceBuffer Upload(ReadOnlySpan<float> data)
    {
        _log.Add(new TransferLog.Event(TransferLog.Kind.Upload, Name, data.Length));
        return new Buffer(this, Inner.Upload(data));
    }

    /// <inheritdoc/>
    public void Download(DeviceBuffer source, Span<float> destination)
    {
        _log.Add(new TransferLog.Event(TransferLog.Kind.Download, Name, destination.Length));
        Inner.Download(In(source), destination);
    }

    /// <inheritdoc/>
    public void Synchronize() => Inner.Synchronize();

    /// <inheritdoc/>
    public void Fill(DeviceBuffer destination, int count, float value) => Inner.Fill(In(destination), count, value);

    /// <inheritdoc/>
    public void Copy(DeviceBuffer source, DeviceBuffer destination, int count) => Inner.Copy(In(source), In(destination), count);

    /// <inheritdoc/>
    public void FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high) =>
        Inner.FillUniform(In(destination), count, key, low, high);

    /// <inheritdoc/>
    public void FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std) =>
        Inner.FillNormal(In(destination), count, key, mean, std);

    /// <inheritdoc/>
    public void Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count) => Inner.Unary(op, In(x), In(y), count);

    /// <inheritdoc/>
    public void Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift) => Inner.Affine(In(x), In(y), count, scale, shift);

    /// <inheritdoc/>
    public void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count) => Inner.ReluBackward(In(x), In(dy), In(dx), count);

    /// <inheritdoc/>
    public void Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape) =>
        Inner.Binary(op, In(a), aShape, In(b), bShape, In(y), yShape);

    /// <inheritdoc/>
    public void Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) => Inner.Reduce(op, In(x), xShape, In(y), yShape);

    /// <inheritdoc/>
    public void Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) => Inner.Broadcast(In(x), xShape, In(y), yShape);

    /// <inheritdoc/>
    public void Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y) => Inner.Permute(In(x), xShape, perm, In(y));

    /// <inheritdoc/>
    public void CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset, DeviceBuffer destination, Shape destinationShape,
                              int destinationOffset, int axis, int length) =>
        Inner.CopyAxisRange(In(source), sourceShape, sourceOffset, In(destination), destinationShape, destinationOffset, axis, length);

    /// <inheritdoc/>
    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c) =>
        Inner.Gemm(transposeA, transposeB, m, n, k, alpha, In(a), In(b), beta, In(c));

    /// <inheritdoc/>
    public void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g) =>
        Inner.Conv2dForward(In(x), In(w), bias is null ? null : In(bias), In(y), g);

    /// <inheritdoc/>
    public void Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g) => Inner.Conv2dBackwardData(In(dy), In(w), In(dx), g);

    /// <inheritdoc/>
    public void Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g) => Inner.Conv2dBackwardFilter(In(x), In(dy), In(dw), g);

    /// <inheritdoc/>
    public void Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g) => Inner.Conv2dBackwardBias(In(dy), In(db), g);

    /// <inheritdoc/>
    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) => Inner.MaxPool2dForward(In(x), In(y), g);

    /// <inheritdoc/>
    public void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) =>
        Inner.MaxPool2dBackward(In(x), In(y), In(dy), In(dx), g);

    /// <inheritdoc/>
    public void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) => Inner.AvgPool2dForward(In(x), In(y), g);

    /// <inheritdoc/>
    public void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) => Inner.AvgPool2dBackward(In(dy), In(dx), g);

    /// <inheritdoc/>
    public void AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g) => Inner.AdaptiveAvgPool2dForward(In(x), In(y), g);

    /// <inheritdoc/>
    public void AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g) => Inner.AdaptiveAvgPool2dBackward(In(dy), In(dx), g);

    /// <inheritdoc/>
    public void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g) => Inner.LrnForward(In(x), In(y), g);

    /// <inheritdoc/>
    public void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g) =>
        Inner.LrnBackward(In(x), In(y), In(dy), In(dx), g);

    /// <inheritdoc/>
    public void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log) => Inner.Softmax(In(x), In(y), rows, cols, log);

    /// <inheritdoc/>
    public void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log) =>
        Inner.SoftmaxBackward(In(y), In(dy), In(dx), rows, cols, log);

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols) =>
        Inner.SoftmaxCrossEntropyForward(In(logits), In(labels), In(loss), In(probabilities), rows, cols);

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols) =>
        Inner.SoftmaxCrossEntropyBackward(In(probabilities), In(labels), In(dloss), In(dlogits), rows, cols);

    /// <inheritdoc/>
    public void DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key) =>
        Inner.DropoutForward(In(x), In(y), In(mask), count, p, key);

    /// <inheritdoc/>
    public void SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay) =>
        Inner.SgdMomentumUpdate(In(w), In(g), In(v), count, learningRate, momentum, weightDecay);

    /// <inheritdoc/>
    public void AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients) =>
        Inner.AdamUpdate(In(w), In(g), In(m), In(v), count, coefficients);

    /// <inheritdoc/>
    public void Dispose() => Inner.Dispose();

    /// <summary>The inner backend's buffer behind one of this device's buffers.</summary>
    /// <exception cref="ArgumentException">The buffer belongs to another device.</exception>
    private DeviceBuffer In(DeviceBuffer buffer) => buffer is Buffer b && ReferenceEquals(b.Backend, this)
        ? b.Inner
        : throw new ArgumentException($"A buffer of {buffer.Backend.Name} was handed to {Name}: move it with Ops.To first.", nameof(buffer));

    /// <summary>One of this device's buffers: a handle on the inner backend's buffer, released with it.</summary>
    private sealed class Buffer(TransferLoggingBackend owner, DeviceBuffer inner) : DeviceBuffer(owner, inner.Length)
    {
        public DeviceBuffer Inner { get; } = inner;

        protected override void Release() => Inner.Dispose();
    }
}
