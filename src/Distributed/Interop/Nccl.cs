using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AlexNet.Distributed.Interop;

/// <summary>Bindings to NVIDIA NCCL (<c>libnccl.so.2</c>): communicator setup and the two collectives training needs.</summary>
/// <remarks>Every function returns <c>ncclResult_t</c> (<c>ncclSuccess</c> = 0); the collectives are enqueued on a CUDA
/// stream and return before the transfer is done.</remarks>
internal static partial class Nccl
{
    private const string Library = CommunicationLibraries.Nccl;

    /// <summary><c>ncclFloat32</c>.</summary>
    public const int Float32 = 7;

    /// <summary><c>ncclSum</c>.</summary>
    public const int Sum = 0;

    [LibraryImport(Library)] internal static partial int ncclGetVersion(out int version);
    [LibraryImport(Library)] internal static partial int ncclGetUniqueId(out NcclUniqueId uniqueId);
    [LibraryImport(Library)] internal static partial int ncclCommInitRank(out nint comm, int ranks, NcclUniqueId commId, int rank);
    [LibraryImport(Library)] internal static partial int ncclCommDestroy(nint comm);
    [LibraryImport(Library)] internal static partial int ncclCommAbort(nint comm);
    [LibraryImport(Library)] internal static partial int ncclAllReduce(nint send, nint receive, nuint count, int datatype, int op, nint comm, nint stream);
    [LibraryImport(Library)] internal static partial int ncclBroadcast(nint send, nint receive, nuint count, int datatype, int root, nint comm, nint stream);
    [LibraryImport(Library)] internal static partial nint ncclGetErrorString(int result);

    /// <summary>Throws an <see cref="NcclException"/> naming the call when <paramref name="result"/> is not <c>ncclSuccess</c>.</summary>
    public static void Check(int result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result == 0) return;
        int paren = call.IndexOf('(');
        var head = paren < 0 ? call : call[..paren];
        int dot = head.LastIndexOf('.');
        throw new NcclException((dot < 0 ? head : head[(dot + 1)..]).Trim(), result, Marshal.PtrToStringUTF8(ncclGetErrorString(result)) ?? "?");
    }

    /// <summary>The version as text, e.g. <c>2.21.5</c> (the code is major·10000 + minor·100 + patch since 2.9).</summary>
    public static string VersionText()
    {
        if (ncclGetVersion(out int v) != 0) return "?";
        return v >= 10000 ? $"{v / 10000}.{v / 100 % 100}.{v % 100}" : $"{v / 1000}.{v / 100 % 10}.{v % 100}";
    }
}
