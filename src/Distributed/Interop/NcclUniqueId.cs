using System.Runtime.InteropServices;

namespace AlexNet.Distributed.Interop;

/// <summary><c>ncclUniqueId</c>: 128 opaque bytes made by rank 0 and sent to every rank before they join.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NcclUniqueId
{
    /// <summary><c>NCCL_UNIQUE_ID_BYTES</c>.</summary>
    public const int Size = 128;

    /// <summary>The bytes.</summary>
    public fixed byte Internal[Size];
}
