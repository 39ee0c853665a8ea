using System.Runtime.InteropServices;

namespace AlexNet.Distributed.Interop;

/// <summary>Open MPI's predefined handles: the addresses of the global objects <c>libmpi</c> exports.</summary>
/// <param name="CommWorld"><c>MPI_COMM_WORLD</c> (<c>ompi_mpi_comm_world</c>).</param>
/// <param name="Float"><c>MPI_FLOAT</c> (<c>ompi_mpi_float</c>).</param>
/// <param name="Double"><c>MPI_DOUBLE</c> (<c>ompi_mpi_double</c>).</param>
/// <param name="Byte"><c>MPI_BYTE</c> (<c>ompi_mpi_byte</c>).</param>
/// <param name="Sum"><c>MPI_SUM</c> (<c>ompi_mpi_op_sum</c>).</param>
/// <param name="ErrorsReturn"><c>MPI_ERRORS_RETURN</c> (<c>ompi_mpi_errors_return</c>).</param>
internal sealed record MpiHandles(nint CommWorld, nint Float, nint Double, nint Byte, nint Sum, nint ErrorsReturn)
{
    /// <summary>Reads the handles from the loaded library.</summary>
    /// <exception cref="CommunicationLibraryNotFoundException">A symbol is missing (not Open MPI).</exception>
    public static MpiHandles Load(nint library)
    {
        nint Get(string symbol) => NativeLibrary.TryGetExport(library, symbol, out var address)
            ? address
            : throw new CommunicationLibraryNotFoundException("Open MPI's libmpi.so.40",
                $"The loaded libmpi does not export {symbol}, so it is not Open MPI 4 or later. {CommunicationLibraries.MpiInstallHint}", []);
        return new MpiHandles(Get("ompi_mpi_comm_world"), Get("ompi_mpi_float"), Get("ompi_mpi_double"), Get("ompi_mpi_byte"),
                              Get("ompi_mpi_op_sum"), Get("ompi_mpi_errors_return"));
    }
}
