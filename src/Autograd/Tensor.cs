using System.Globalization;
using System.Text;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

/// <summary>
/// An immutable n-dimensional float32 array on one device: a shape, a backend (the device) and a buffer.
/// Operations never change a tensor; they return new ones (see <see cref="Ops"/>).
/// </summary>
/// <remarks>
/// A tensor made while a <see cref="Tape"/> records (because one of its inputs is watched) belongs to that tape and is
/// released when the tape is disposed. Every other tensor belongs to whoever made it: dispose it to hand its buffer
/// back to the backend's pool at once (on the CPU the garbage collector reclaims an undisposed one; on a GPU
/// disposing matters). Gradient state never lives in a tensor.
/// </remarks>
public sealed class Tensor : IDisposable
{
    private readonly DeviceBuffer _buffer;
    private readonly bool _ownsBuffer;

    internal Tensor(Shape shape, DeviceBuffer buffer, Tape? tape = null, int node = -1, bool ownsBuffer = true)
    {
        if (buffer.Length < shape.Count)
            throw new ArgumentException($"A buffer of {buffer.Length} elements cannot hold shape {shape}.", nameof(buffer));
        Shape = shape;
        _buffer = buffer;
        Tape = tape;
        Node = node;
        _ownsBuffer = ownsBuffer;
        if (ownsBuffer) TensorScope.Track(this);
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The backend (device) holding the data.</summary>
    public IBackend Backend => _buffer.Backend;

    /// <summary>The device name, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    public string Device => _buffer.Backend.Name;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>Number of elements.</summary>
    public int Count => Shape.Count;

    /// <summary>True once this tensor released its storage; using it then throws.</summary>
    public bool IsDisposed => _released || _buffer.IsDisposed;

    /// <summary>True when this tensor is recorded on a tape and gradients can flow into it.</summary>
    public bool IsTracked => Tape is not null && Node >= 0;

    internal Tape? Tape { get; }

    internal int Node { get; }

    internal DeviceBuffer Buffer => IsDisposed
        ? throw new ObjectDisposedException(nameof(Tensor), $"This {Shape} tensor on {_buffer.Backend.Name} was disposed (or released with the tape that recorded it); keep a copy with Ops.Copy or read it before the tape ends.")
        : _buffer;

    /// <summary>A tensor holding a copy of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data length is not the shape's element count.</exception>
    public static Tensor FromArray(float[] data, Shape shape, IBackend? backend = null) => FromSpan(data, shape, backend);

    /// <summary>A tensor holding a copy of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data length is not the shape's element count.</exception>
    public static Tensor FromSpan(ReadOnlySpan<float> data, Shape shape, IBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (data.Length != shape.Count)
            throw new ArgumentException($"{data.Length} values cannot fill shape {shape}, which holds {shape.Count}.", nameof(data));
        var b = backend ?? CpuBackend.Default;
        return new Tensor(shape, b.Upload(data));
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value, IBackend? backend = null) => Full(Shape.Scalar, value, backend);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(Shape shape, IBackend? backend = null) => Full(shape, 0f, backend);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(Shape shape, IBackend? backend = null) => Full(shape, 1f, backend);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, float value, IBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var b = backend ?? CpuBackend.Default;
        var buffer = b.Allocate(shape.Count);
        b.Fill(buffer, shape.Count, value);
        return new Tensor(shape, buffer);
    }

    /// <summary>Normal random numbers N(mean, std²); element i is mean + std·key.Normal(i), the same on every backend.</summary>
    /// <exception cref="ArgumentException">std is negative or not finite.</exception>
    public static Tensor Normal(RandomKey key, Shape shape, float mean = 0f, float std = 1f, IBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!(std >= 0f) || float.IsInfinity(std)) throw new ArgumentException($"Standard deviation must be finite and ≥ 0, got {std}.", nameof(std));
        var b = backend ?? CpuBackend.Default;
        var buffer = b.Allocate(shape.Count);
        b.FillNormal(buffer, shape.Count, key, mean, std);
        return new Tensor(shape, buffer);
    }

    /// <summary>Uniform random numbers in [low, high); element i is low + (high − low)·key.Uniform(i).</summary>
    /// <exception cref="ArgumentException">high is below low or either is not finite.</exception>
    public static Tensor Uniform(RandomKey key, Shape shape, float low = 0f, float high = 1f, IBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!float.IsFinite(low) || !float.IsFinite(high) || high < low)
            throw new ArgumentException($"Uniform range [{low}, {high}) is empty or not finite.", nameof(high));
        var b = backend ?? CpuBackend.Default;
        var buffer = b.Allocate(shape.Count);
        b.FillUniform(buffer, shape.Count, key, low, high);
        return new Tensor(shape, buffer);
    }

    /// <summary>Copies the data to a new host array (row-major).</summary>
    public float[] ToArray()
    {
        var result = new float[Count];
        Backend.Download(Buffer, result);
        return result;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public float Item()
    {
        if (Count != 1) throw new InvalidOperationException($"Item() needs a one-element tensor; this one has shape {Shape}.");
        Span<float> v = stackalloc float[1];
        Backend.Download(Buffer, v);
        return v[0];
    }

    /// <summary>
    /// Releases the buffer to its backend's pool. A no-op for a tensor recorded on a tape (the tape owns it and releases
    /// it when disposed, after the reverse pass may have needed it) and for a view of a caller's buffer. An unrecorded
    /// tensor that a live tape's operation read (a transferred input, say) is handed to that tape and released with it.
    /// </summary>
    public void Dispose()
    {
        if (Tape is not null) return;
        if (ReadBy is { IsDisposed: false } tape) tape.Own(this);
        else Release();
    }

    /// <summary>The last tape that recorded an operation reading this unrecorded tensor (its backward may need it).</summary>
    internal Tape? ReadBy { get; set; }

    /// <summary>A view of this tensor's storage with no tape and no ownership: operations on it are not recorded.</summary>
    internal Tensor Detached() => new(Shape, Buffer, ownsBuffer: false);

    /// <summary>Hands this unrecorded tensor's storage to a new owner; this tensor then reads as disposed.</summary>
    internal DeviceBuffer Surrender()
    {
        var buffer = Buffer;
        if (!_ownsBuffer || Tape is not null) throw new InvalidOperationException("Only a tensor that owns its storage and is not recorded can hand it over.");
        _released = true;
        return buffer;
    }

    /// <summary>Releases the buffer regardless of tape ownership (the tape's own clean-up).</summary>
    internal void Release()
    {
        if (!_ownsBuffer || _released) return;
        _released = true;
        _buffer.Dispose();
    }

    private bool _released;

    /// <summary>A tensor of another shape sharing this one's storage (one more reference to the buffer).</summary>
    internal DeviceBuffer ShareBuffer() => Buffer.Retain();

    /// <summary>Shape, device and, for small tensors, the values, e.g. <c>Tensor[2, 2] cpu [[1, 2], [3, 4]]</c>.</summary>
    public override string ToString()
    {
        var head = $"Tensor{Shape} {Device}";
        if (IsDisposed) return head + " (disposed)";
        if (Count > 64) return head;
        var values = ToArray();
        var sb = new StringBuilder(head).Append(' ');
        int index = 0;
        AppendNested(sb, values, 0, ref index);
        return sb.ToString();
    }

    private void AppendNested(StringBuilder sb, float[] values, int axis, ref int index)
    {
        if (axis == Rank) { sb.Append(values[index++].ToString("G6", CultureInfo.InvariantCulture)); return; }
        sb.Append('[');
        for (int i = 0; i < Shape[axis]; i++)
        {
            if (i > 0) sb.Append(", ");
            AppendNested(sb, values, axis + 1, ref index);
        }
        sb.Append(']');
    }

    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);

    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);

    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Neg(a);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, float s) => Ops.Affine(a, 1f, s);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(float s, Tensor a) => Ops.Affine(a, 1f, s);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, float s) => Ops.Affine(a, 1f, -s);

    /// <summary>Subtracts from a scalar.</summary>
    public static Tensor operator -(float s, Tensor a) => Ops.Affine(a, -1f, s);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, float s) => Ops.Affine(a, s, 0f);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(float s, Tensor a) => Ops.Affine(a, s, 0f);

    /// <summary>Divides by a scalar.</summary>
    /// <exception cref="ArgumentException">s is zero.</exception>
    public static Tensor operator /(Tensor a, float s) => s == 0f
        ? throw new ArgumentException($"Division of a {a.Shape} tensor by the scalar 0.", nameof(s))
        : Ops.Affine(a, 1f / s, 0f);
}
