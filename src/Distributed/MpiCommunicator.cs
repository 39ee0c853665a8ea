using System.Runtime.InteropServices;
using AlexNet.Autograd;
using AlexNet.Distributed.Interop;

namespace AlexNet.Distributed;

/// <summary>
/// The processes of an MPI job (<c>MPI_COMM_WORLD</c>), through Open MPI: CPU tensors and host buffers are reduced and
/// broadcast in place with <c>MPI_Allreduce</c>/<c>MPI_Bcast</c>; tensors on another device are staged through host memory.
/// </summary>
/// <remarks>
/// MPI can be initialised once per process and never again after it is finalised, so there is one instance per
/// process: <see cref="Initialize"/> calls <c>MPI_Init_thread</c> (serialized threading: any thread may call, and this
/// class lets one in at a time) and <see cref="Dispose"/> calls <c>MPI_Finalize</c>. Errors come back as codes
/// (<c>MPI_ERRORS_RETURN</c>) and are thrown as <see cref="MpiException"/>. When a process of the job dies, Open MPI's
/// launcher ends the others; when a rank fails in a way the others cannot see, <see cref="AbortJob"/> ends them.
/// </remarks>
public sealed class MpiCommunicator : ICommunicator
{
    private static readonly Lock InitGate = new();
    private static bool s_used;

    private readonly Lock _gate = new();
    private readonly MpiHandles _handles;
    private bool _disposed;

    private MpiCommunicator(MpiHandles handles, int rank, int size, string description)
    {
        _handles = handles;
        Rank = rank;
        Size = size;
        Description = description;
    }

    /// <summary>Initialises MPI for this process and returns the world communicator.</summary>
    /// <exception cref="CommunicationLibraryNotFoundException">Open MPI is not installed (the message says how to install it).</exception>
    /// <exception cref="InvalidOperationException">MPI was already initialised in this process (it can be only once).</exception>
    /// <exception cref="MpiException">Initialisation failed.</exception>
    public static MpiCommunicator Initialize()
    {
        var library = CommunicationLibraries.EnsureMpi();
        var handles = MpiHandles.Load(library);
        lock (InitGate)
        {
            if (s_used) throw new InvalidOperationException("MPI was already initialised in this process; it can be initialised once, so share the first MpiCommunicator.");
            Mpi.Check(Mpi.MPI_Initialized(out int initialised));
            if (initialised != 0) throw new InvalidOperationException("MPI was already initialised in this process by other code; it can be initialised once.");
            Mpi.Check(Mpi.MPI_Init_thread(0, 0, Mpi.ThreadSerialized, out int provided));
            s_used = true;
            if (provided < Mpi.ThreadSerialized)
            {
                Mpi.MPI_Finalize();
                throw new MpiException("MPI_Init_thread", 0, $"this MPI provides threading level {provided}; serialized calls from several threads (level {Mpi.ThreadSerialized}) are needed.");
            }
            Mpi.Check(Mpi.MPI_Comm_set_errhandler(handles.CommWorld, handles.ErrorsReturn));
            Mpi.Check(Mpi.MPI_Comm_rank(handles.CommWorld, out int rank));
            Mpi.Check(Mpi.MPI_Comm_size(handles.CommWorld, out int size));
            return new MpiCommunicator(handles, rank, size, $"MPI ({Mpi.LibraryVersion()})");
        }
    }

    /// <summary>Whether Open MPI's library can be loaded here (without initialising it).</summary>
    /// <param name="reason">Why not, or null.</param>
    public static bool IsAvailable(out string? reason) => CommunicationLibraries.TryEnsureMpi(out reason);

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public unsafe void Broadcast(Tensor tensor, int root)
    {
        TensorStorage.RequireWritable(tensor, "Broadcast");
        TensorStorage.RequireRoot(root, Size);
        if (TensorStorage.HostArray(tensor) is { } array)
        {
            fixed (float* p = array)
            {
                nint address = (nint)p;
                int count = tensor.Count;
                Run(() => Mpi.Check(Mpi.MPI_Bcast(address, count, _handles.Float, root, _handles.CommWorld)));
            }
            return;
        }
        var staged = tensor.ToArray();
        Broadcast(MemoryMarshal.AsBytes(staged.AsSpan()), root);
        if (Rank != root) TensorStorage.Overwrite(tensor, staged);
    }

    /// <inheritdoc/>
    public unsafe void AllReduceSumInPlace(Tensor tensor)
    {
        TensorStorage.RequireWritable(tensor, "AllReduceSumInPlace");
        if (TensorStorage.HostArray(tensor) is { } array)
        {
            AllReduceSum(array.AsSpan(0, tensor.Count));
            return;
        }
        var staged = tensor.ToArray();
        AllReduceSum(staged.AsSpan());
        TensorStorage.Overwrite(tensor, staged);
    }

    /// <inheritdoc/>
    public Tensor AllReduceSum(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var values = tensor.ToArray();
        AllReduceSum(values.AsSpan());
        return Tensor.FromArray(values, tensor.Shape, tensor.Backend);
    }

    /// <inheritdoc/>
    public unsafe void Broadcast(Span<byte> buffer, int root)
    {
        TensorStorage.RequireRoot(root, Size);
        fixed (byte* p = buffer)
        {
            nint address = (nint)p;
            int length = buffer.Length;
            Run(() => Mpi.Check(Mpi.MPI_Bcast(address, length, _handles.Byte, root, _handles.CommWorld)));
        }
    }

    /// <inheritdoc/>
    public unsafe void AllReduceSum(Span<float> values)
    {
        fixed (float* p = values)
        {
            nint address = (nint)p;
            int length = values.Length;
            Run(() => Mpi.Check(Mpi.MPI_Allreduce(Mpi.InPlace, address, length, _handles.Float, _handles.Sum, _handles.CommWorld)));
        }
    }

    /// <inheritdoc/>
    public unsafe void AllReduceSum(Span<double> values)
    {
        fixed (double* p = values)
        {
            nint address = (nint)p;
            int length = values.Length;
            Run(() => Mpi.Check(Mpi.MPI_Allreduce(Mpi.InPlace, address, length, _handles.Double, _handles.Sum, _handles.CommWorld)));
        }
    }

    /// <inheritdoc/>
    public void Barrier() => Run(() => Mpi.Check(Mpi.MPI_Barrier(_handles.CommWorld)));

    /// <inheritdoc/>
    public void AbortJob(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Mpi.MPI_Abort(_handles.CommWorld, exitCode);
        Environment.Exit(exitCode); // MPI_Abort does not return; this is for an MPI that does
    }

    /// <summary>Finalises MPI (after which it cannot be used again in this process).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (Mpi.MPI_Finalized(out int finalised) == 0 && finalised == 0) Mpi.MPI_Finalize();
        }
    }

    private void Run(Action call)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            call();
        }
    }
}
