namespace AlexNet.Autograd.Kernels;

/// <summary>
/// A backend that runs every kernel on another backend: the base of decorators that watch or change what a device does
/// (log transfers, time kernels, count calls, inject faults) without reimplementing it. Its buffers are handles on the
/// inner backend's, so tensors made on it belong to it, and <see cref="Ops.To"/> between it and any other device is a
/// transfer (a download then an upload) that a decorator sees. Every member is virtual and forwards; a decorator
/// overrides only what it watches and calls the base member to run it.
/// </summary>
public abstract class DelegatingBackend : IBackend
{
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>, which this backend owns from now on (disposed with it).</summary>
    /// <param name="inner">The backend that runs the kernels.</param>
    /// <param name="name">The device name this backend reports; the inner backend's when null.</param>
    protected DelegatingBackend(IBackend inner, string? name = null)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Name = name ?? inner.Name;
    }

    /// <summary>The backend that runs the kernels.</summary>
    public IBackend Inner { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public virtual MemoryStats Memory => Inner.Memory;

    /// <inheritdoc/>
    public virtual void ResetPeak() => Inner.ResetPeak();

    /// <inheritdoc/>
    public virtual DeviceBuffer Allocate(int length) => Wrap(Inner.Allocate(length));

    /// <inheritdoc/>
    public virtual DeviceBuffer Upload(ReadOnlySpan<float> data) => Wrap(Inner.Upload(data));

    /// <inheritdoc/>
    public virtual void Download(DeviceBuffer source, Span<float> destination) => Inner.Download(Unwrap(source), destination);

    /// <inheritdoc/>
    public virtual void Synchronize() => Inner.Synchronize();

    /// <inheritdoc/>
    public virtual void Fill(DeviceBuffer destination, int count, float value) => Inner.Fill(Unwrap(destination), count, value);

    /// <inheritdoc/>
    public virtual void Copy(DeviceBuffer source, DeviceBuffer destination, int count) => Inner.Copy(Unwrap(source), Unwrap(destination), count);

    /// <inheritdoc/>
    public virtual void FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high) =>
        Inner.FillUniform(Unwrap(destination), count, key, low, high);

    /// <inheritdoc/>
    public virtual void FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std) =>
        Inner.FillNormal(Unwrap(destination), count, key, mean, std);

    /// <inheritdoc/>
    public virtual void Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count) => Inner.Unary(op, Unwrap(x), Unwrap(y), count);

    /// <inheritdoc/>
    public virtual void Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift) => Inner.Affine(Unwrap(x), Unwrap(y), count, scale, shift);

    /// <inheritdoc/>
    public virtual void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count) => Inner.ReluBackward(Unwrap(x), Unwrap(dy), Unwrap(dx), count);

    /// <inheritdoc/>
    public virtual void Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape) =>
        Inner.Binary(op, Unwrap(a), aShape, Unwrap(b), bShape, Unwrap(y), yShape);

    /// <inheritdoc/>
    public virtual void Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) => Inner.Reduce(op, Unwrap(x), xShape, Unwrap(y), yShape);

    /// <inheritdoc/>
    public virtual void Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) => Inner.Broadcast(Unwrap(x), xShape, Unwrap(y), yShape);

    /// <inheritdoc/>
    public virtual void Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y) => Inner.Permute(Unwrap(x), xShape, perm, Unwrap(y));

    /// <inheritdoc/>
    public virtual void CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset, DeviceBuffer destination, Shape destinationShape,
                              int destinationOffset, int axis, int length) =>
        Inner.CopyAxisRange(Unwrap(source), sourceShape, sourceOffset, Unwrap(destination), destinationShape, destinationOffset, axis, length);

    /// <inheritdoc/>
    public virtual void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c) =>
        Inner.Gemm(transposeA, transposeB, m, n, k, alpha, Unwrap(a), Unwrap(b), beta, Unwrap(c));

    /// <inheritdoc/>
    public virtual void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g) =>
        Inner.Conv2dForward(Unwrap(x), Unwrap(w), bias is null ? null : Unwrap(bias), Unwrap(y), g);

    /// <inheritdoc/>
    public virtual void Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g) => Inner.Conv2dBackwardData(Unwrap(dy), Unwrap(w), Unwrap(dx), g);

    /// <inheritdoc/>
    public virtual void Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g) => Inner.Conv2dBackwardFilter(Unwrap(x), Unwrap(dy), Unwrap(dw), g);

    /// <inheritdoc/>
    public virtual void Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g) => Inner.Conv2dBackwardBias(Unwrap(dy), Unwrap(db), g);

    /// <inheritdoc/>
    public virtual void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) => Inner.MaxPool2dForward(Unwrap(x), Unwrap(y), g);

    /// <inheritdoc/>
    public virtual void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) =>
        Inner.MaxPool2dBackward(Unwrap(x), Unwrap(y), Unwrap(dy), Unwrap(dx), g);

    /// <inheritdoc/>
    public virtual void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) => Inner.AvgPool2dForward(Unwrap(x), Unwrap(y), g);

    /// <inheritdoc/>
    public virtual void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) => Inner.AvgPool2dBackward(Unwrap(dy), Unwrap(dx), g);

    /// <inheritdoc/>
    public virtual void AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g) => Inner.AdaptiveAvgPool2dForward(Unwrap(x), Unwrap(y), g);

    /// <inheritdoc/>
    public virtual void AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g) => Inner.AdaptiveAvgPool2dBackward(Unwrap(dy), Unwrap(dx), g);

    /// <inheritdoc/>
    public virtual void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g) => Inner.LrnForward(Unwrap(x), Unwrap(y), g);

    /// <inheritdoc/>
    public virtual void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g) =>
        Inner.LrnBackward(Unwrap(x), Unwrap(y), Unwrap(dy), Unwrap(dx), g);

    /// <inheritdoc/>
    public virtual void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log) => Inner.Softmax(Unwrap(x), Unwrap(y), rows, cols, log);

    /// <inheritdoc/>
    public virtual void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log) =>
        Inner.SoftmaxBackward(Unwrap(y), Unwrap(dy), Unwrap(dx), rows, cols, log);

    /// <inheritdoc/>
    public virtual void SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols) =>
        Inner.SoftmaxCrossEntropyForward(Unwrap(logits), Unwrap(labels), Unwrap(loss), Unwrap(probabilities), rows, cols);

    /// <inheritdoc/>
    public virtual void SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols) =>
        Inner.SoftmaxCrossEntropyBackward(Unwrap(probabilities), Unwrap(labels), Unwrap(dloss), Unwrap(dlogits), rows, cols);

    /// <inheritdoc/>
    public virtual void DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key) =>
        Inner.DropoutForward(Unwrap(x), Unwrap(y), Unwrap(mask), count, p, key);

    /// <inheritdoc/>
    public virtual void SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay) =>
        Inner.SgdMomentumUpdate(Unwrap(w), Unwrap(g), Unwrap(v), count, learningRate, momentum, weightDecay);

    /// <inheritdoc/>
    public virtual void AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients) =>
        Inner.AdamUpdate(Unwrap(w), Unwrap(g), Unwrap(m), Unwrap(v), count, coefficients);

    /// <summary>Disposes the inner backend.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the inner backend (once); a decorator holding resources of its own releases them here too.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (disposing) Inner.Dispose();
    }

    /// <summary>One of this backend's buffers for a buffer of the inner backend (released with it).</summary>
    protected DeviceBuffer Wrap(DeviceBuffer inner) => new Handle(this, inner ?? throw new ArgumentNullException(nameof(inner)));

    /// <summary>The inner backend's buffer behind one of this backend's buffers.</summary>
    /// <exception cref="ArgumentException">The buffer belongs to another device.</exception>
    protected DeviceBuffer Unwrap(DeviceBuffer buffer) => buffer is Handle h && ReferenceEquals(h.Backend, this)
        ? h.Inner
        : throw new ArgumentException($"A buffer of {buffer.Backend.Name} was handed to {Name}: move it with Ops.To first.", nameof(buffer));

    /// <summary>A handle on the inner backend's buffer.</summary>
    private sealed class Handle(DelegatingBackend owner, DeviceBuffer inner) : DeviceBuffer(owner, inner.Length)
    {
        public DeviceBuffer Inner { get; } = inner;

        protected override void Release() => Inner.Dispose();
    }
}
