using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>Host storage of the CPU backend: a pinned <see cref="float"/> array of exactly <see cref="DeviceBuffer.Length"/> elements.</summary>
/// <remarks>The array is allocated on the pinned object heap, so kernels may hold raw pointers into it without fixing it.</remarks>
internal sealed class CpuBuffer : DeviceBuffer
{
    private readonly CpuBackend _owner;

    internal CpuBuffer(CpuBackend owner, float[] array) : base(owner, array.Length)
    {
        _owner = owner;
        Array = array;
    }

    /// <summary>The backing array (pinned, length equal to <see cref="DeviceBuffer.Length"/>).</summary>
    internal float[] Array { get; }

    /// <summary>The elements as a span.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Span<float> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return Array;
        }
    }

    /// <summary>The elements as memory.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Memory<float> Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return Array;
        }
    }

    /// <summary>Address of element 0; valid for the buffer's lifetime because the array is pinned.</summary>
    internal unsafe float* Pointer => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Array));

    /// <inheritdoc/>
    protected override void Release() => _owner.Return(Array);
}
