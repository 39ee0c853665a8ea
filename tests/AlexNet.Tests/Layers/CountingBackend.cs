using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Tests.Layers;

/// <summary>
/// A device for tests: a private <see cref="CpuBackend"/> behind a decorator that logs every upload to it and every
/// download from it into a log shared by several devices. <see cref="Ops.To"/> is a download from the source followed
/// by an upload to the target, so the log shows each transfer with its direction and size.
/// </summary>
internal sealed class CountingBackend(string name, TransferLog log) : IBackend
{
    private readonly IBackend _inner = new CpuBackend(threads: 1);

    public string Name { get; } = name;

    public MemoryStats Memory => _inner.Memory;

    public void ResetPeak() => _inner.ResetPeak();

    public DeviceBuffer Allocate(int length) => new Buffer(this, _inner.Allocate(length));

    public DeviceBuffer Upload(ReadOnlySpan<float> data)
    {
        log.Add(new TransferLog.Event(TransferLog.Kind.Upload, Name, data.Length));
        return new Buffer(this, _inner.Upload(data));
    }

    public void Download(DeviceBuffer source, Span<float> destination)
    {
        log.Add(new TransferLog.Event(TransferLog.Kind.Download, Name, destination.Length));
        _inner.Download(In(source), destination);
    }

    public void Synchronize() => _inner.Synchronize();

    public void Fill(DeviceBuffer destination, int count, float value) => _inner.Fill(In(destination), count, value);

    public void Copy(DeviceBuffer source, DeviceBuffer destination, int count) => _inner.Copy(In(source), In(destination), count);

    public void FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high) =>
        _inner.FillUniform(In(destination), count, key, low, high);

    public void FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std) =>
        _inner.FillNormal(In(destination), count, key, mean, std);

    public void Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count) => _inner.Unary(op, In(x), In(y), count);

    public void Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift) => _inner.Affine(In(x), In(y), count, scale, shift);

    public void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count) => _inner.ReluBackward(In(x), In(dy), In(dx), count);

    public void Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape) =>
        _inner.Binary(op, In(a), aShape, In(b), bShape, In(y), yShape);

    public void Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) => _inner.Reduce(op, In(x), xShape, In(y), yShape);

    public void Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape) => _inner.Broadcast(In(x), xShape, In(y), yShape);

    public void Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y) => _inner.Permute(In(x), xShape, perm, In(y));

    public void CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset, DeviceBuffer destination, Shape destinationShape,
                              int destinationOffset, int axis, int length) =>
        _inner.CopyAxisRange(In(source), sourceShape, sourceOffset, In(destination), destinationShape, destinationOffset, axis, length);

    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c) =>
        _inner.Gemm(transposeA, transposeB, m, n, k, alpha, In(a), In(b), beta, In(c));

    public void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g) =>
        _inner.Conv2dForward(In(x), In(w), bias is null ? null : In(bias), In(y), g);

    public void Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g) => _inner.Conv2dBackwardData(In(dy), In(w), In(dx), g);

    public void Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g) => _inner.Conv2dBackwardFilter(In(x), In(dy), In(dw), g);

    public void Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g) => _inner.Conv2dBackwardBias(In(dy), In(db), g);

    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) => _inner.MaxPool2dForward(In(x), In(y), g);

    public void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) =>
        _inner.MaxPool2dBackward(In(x), In(y), In(dy), In(dx), g);

    public void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g) => _inner.AvgPool2dForward(In(x), In(y), g);

    public void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g) => _inner.AvgPool2dBackward(In(dy), In(dx), g);

    public void AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g) => _inner.AdaptiveAvgPool2dForward(In(x), In(y), g);

    public void AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g) => _inner.AdaptiveAvgPool2dBackward(In(dy), In(dx), g);

    public void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g) => _inner.LrnForward(In(x), In(y), g);

    public void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g) =>
        _inner.LrnBackward(In(x), In(y), In(dy), In(dx), g);

    public void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log) => _inner.Softmax(In(x), In(y), rows, cols, log);

    public void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log) =>
        _inner.SoftmaxBackward(In(y), In(dy), In(dx), rows, cols, log);

    public void SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols) =>
        _inner.SoftmaxCrossEntropyForward(In(logits), In(labels), In(loss), In(probabilities), rows, cols);

    public void SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols) =>
        _inner.SoftmaxCrossEntropyBackward(In(probabilities), In(labels), In(dloss), In(dlogits), rows, cols);

    public void DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key) =>
        _inner.DropoutForward(In(x), In(y), In(mask), count, p, key);

    public void SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay) =>
        _inner.SgdMomentumUpdate(In(w), In(g), In(v), count, learningRate, momentum, weightDecay);

    public void AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients) =>
        _inner.AdamUpdate(In(w), In(g), In(m), In(v), count, coefficients);

    public void Dispose() => _inner.Dispose();

    private DeviceBuffer In(DeviceBuffer buffer) => buffer is Buffer b && ReferenceEquals(b.Backend, this)
        ? b.Inner
        : throw new ArgumentException($"A buffer of {buffer.Backend.Name} was handed to {Name}.");

    /// <summary>A buffer of this device wrapping one of the inner CPU backend.</summary>
    private sealed class Buffer(CountingBackend owner, DeviceBuffer inner) : DeviceBuffer(owner, inner.Length)
    {
        public DeviceBuffer Inner { get; } = inner;

        protected override void Release() => Inner.Dispose();
    }
}

/// <summary>Upload and download events of several <see cref="CountingBackend"/>s, in order.</summary>
internal sealed class TransferLog
{
    private readonly List<Event> _events = [];

    public enum Kind { Upload, Download }

    public readonly record struct Event(Kind Kind, string Device, int Count);

    /// <summary>A move of <paramref name="Count"/> values from one device to another.</summary>
    public readonly record struct Transfer(string From, string To, int Count)
    {
        public override string ToString() => $"{From}→{To} ({Count})";
    }

    public void Add(Event e)
    {
        lock (_events) _events.Add(e);
    }

    public void Clear()
    {
        lock (_events) _events.Clear();
    }

    public IReadOnlyList<Event> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    /// <summary>The log read as transfers: each download immediately followed by an upload of the same size. Any other
    /// event (an upload of host data, a read back to the host) fails the test.</summary>
    public List<Transfer> Transfers()
    {
        var events = Events;
        var result = new List<Transfer>();
        for (int i = 0; i < events.Count; i++)
        {
            var down = events[i];
            if (down.Kind != Kind.Download || i + 1 >= events.Count || events[i + 1].Kind != Kind.Upload || events[i + 1].Count != down.Count)
                throw new Xunit.Sdk.XunitException($"Event {i} ({down}) is not part of a device-to-device transfer; log: {string.Join(", ", events)}");
            result.Add(new Transfer(down.Device, events[i + 1].Device, down.Count));
            i++;
        }
        return result;
    }
}
