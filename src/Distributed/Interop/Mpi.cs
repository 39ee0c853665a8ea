using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AlexNet.Distributed.Interop;

/// <summary>
/// Bindings to the dozen MPI functions data-parallel training needs, against Open MPI's <c>libmpi.so.40</c>.
/// </summary>
/// <remarks>
/// Open MPI's predefined handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are the addresses of global
/// objects the library exports (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_float</c>, <c>ompi_mpi_op_sum</c>); they are
/// read once with <see cref="NativeLibrary.GetExport"/> into <see cref="MpiHandles"/>. Every call returns an
/// <c>int</c> error code (<c>MPI_SUCCESS</c> = 0) once the communicator's error handler is <c>MPI_ERRORS_RETURN</c>.
/// </remarks>
internal static partial class Mpi
{
    private const string Library = CommunicationLibraries.Mpi;

    /// <summary><c>MPI_THREAD_SERIALIZED</c>: any thread may call, one at a time.</summary>
    public const int ThreadSerialized = 2;

    /// <summary><c>MPI_MAX_ERROR_STRING</c> in Open MPI.</summary>
    public const int MaxErrorString = 256;

    /// <summary><c>MPI_MAX_LIBRARY_VERSION_STRING</c> in Open MPI.</summary>
    public const int MaxLibraryVersionString = 256;

    /// <summary><c>MPI_IN_PLACE</c> in Open MPI (<c>(void *) 1</c>).</summary>
    public const nint InPlace = 1;

    [LibraryImport(Library)] internal static partial int MPI_Initialized(out int flag);
    [LibraryImport(Library)] internal static partial int MPI_Finalized(out int flag);
    [LibraryImport(Library)] internal static partial int MPI_Init_thread(nint argc, nint argv, int required, out int provided);
    [LibraryImport(Library)] internal static partial int MPI_Finalize();
    [LibraryImport(Library)] internal static partial int MPI_Comm_rank(nint comm, out int rank);
    [LibraryImport(Library)] internal static partial int MPI_Comm_size(nint comm, out int size);
    [LibraryImport(Library)] internal static partial int MPI_Comm_set_errhandler(nint comm, nint errhandler);
    [LibraryImport(Library)] internal static unsafe partial int MPI_Error_string(int code, byte* text, out int length);
    [LibraryImport(Library)] internal static unsafe partial int MPI_Get_library_version(byte* version, out int length);
    [LibraryImport(Library)] internal static partial int MPI_Allreduce(nint send, nint receive, int count, nint datatype, nint op, nint comm);
    [LibraryImport(Library)] internal static partial int MPI_Bcast(nint buffer, int count, nint datatype, int root, nint comm);
    [LibraryImport(Library)] internal static partial int MPI_Barrier(nint comm);
    [LibraryImport(Library)] internal static partial int MPI_Abort(nint comm, int errorCode);

    /// <summary>Throws an <see cref="MpiException"/> naming the call when <paramref name="code"/> is not <c>MPI_SUCCESS</c>.</summary>
    public static void Check(int code, [CallerArgumentExpression(nameof(code))] string call = "")
    {
        if (code == 0) return;
        throw new MpiException(CallName(call), code, Describe(code));
    }

    /// <summary>MPI's text for an error code.</summary>
    public static unsafe string Describe(int code)
    {
        byte* text = stackalloc byte[MaxErrorString + 1];
        if (MPI_Error_string(code, text, out int length) != 0) return "(no text)";
        return Marshal.PtrToStringUTF8((nint)text, Math.Clamp(length, 0, MaxErrorString));
    }

    /// <summary>The library's own version line, e.g. <c>Open MPI v4.1.4, …</c>.</summary>
    public static unsafe string LibraryVersion()
    {
        byte* text = stackalloc byte[MaxLibraryVersionString + 1];
        if (MPI_Get_library_version(text, out int length) != 0) return "MPI";
        var line = Marshal.PtrToStringUTF8((nint)text, Math.Clamp(length, 0, MaxLibraryVersionString));
        int comma = line.IndexOf(',');
        return (comma > 0 ? line[..comma] : line).Trim().TrimEnd('\0');
    }

    private static string CallName(string expression)
    {
        int paren = expression.IndexOf('(');
        var head = paren < 0 ? expression : expression[..paren];
        int dot = head.LastIndexOf('.');
        return (dot < 0 ? head : head[(dot + 1)..]).Trim();
    }
}
