using System.Runtime.InteropServices;

namespace AlexNet.Gpu.Interop.Handles;

/// <summary>An owned native handle (descriptor, library handle, stream, module) released exactly once.</summary>
internal abstract class NativeHandle : SafeHandle
{
    /// <summary>Takes ownership of <paramref name="value"/>.</summary>
    protected NativeHandle(nint value) : base(0, ownsHandle: true) => SetHandle(value);

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>The raw handle for a native call; valid while this object is not disposed.</summary>
    public nint Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }
}
