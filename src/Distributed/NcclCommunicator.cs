using AlexNet.Autograd;
using AlexNet.Distributed.Interop;
using AlexNet.Gpu;

namespace AlexNet.Distributed;

/// <summary>
/// The processes of a job, one GPU each, exchanging CUDA tensors through NVIDIA NCCL on the CUDA backend's own
/// stream (so a reduction is ordered after the kernels that produced its input); host buffers, CPU tensors and tensors
/// of another CUDA backend go through the host communicator it was made from (MPI for a job of several processes,
/// <see cref="SingleProcessCommunicator"/> for one).
/// </summary>
/// <remarks>
/// Setup follows NCCL's recipe: rank 0 makes a unique id (<c>ncclGetUniqueId</c>), the host communicator broadcasts
/// it, and every rank joins with <c>ncclCommInitRank</c> on its own device. Disposing destroys the NCCL communicator,
/// and disposes the host communicator (finalising MPI) when this communicator was given ownership of it.
/// </remarks>
public sealed class NcclCommunicator : ICommunicator
{
    private readonly ICommunicator _mpi;
    private readonly bool _ownsMpi;
    private readonly CudaBackend _backend;
    private readonly Lock _gate = new();
    private nint _comm;

    /// <summary>Joins every rank of <paramref name="mpi"/> into an NCCL communicator on <paramref name="backend"/>'s GPU.</summary>
    /// <param name="mpi">The job's host communicator: an <see cref="MpiCommunicator"/>, or
    /// <see cref="SingleProcessCommunicator.Instance"/> for a single rank.</param>
    /// <param name="backend">This rank's GPU (not owned); each rank should have its own device.</param>
    /// <param name="ownsMpi">Whether disposing this communicator also disposes <paramref name="mpi"/> (finalising MPI).</param>
    /// <exception cref="CommunicationLibraryNotFoundException">NCCL is not installed (the message says where it was looked for).</exception>
    /// <exception cref="NcclException">NCCL could not set up the communicator.</exception>
    /// <exception cref="MpiException">Sending the unique id over MPI failed.</exception>
    public unsafe NcclCommunicator(ICommunicator mpi, CudaBackend backend, bool ownsMpi = false)
    {
        ArgumentNullException.ThrowIfNull(mpi);
        ArgumentNullException.ThrowIfNull(backend);
        // Every rank loads NCCL before the broadcast, and all agree whether it loaded, so a rank without NCCL cannot
        // leave the others waiting in the broadcast.
        CommunicationLibraryNotFoundException? failure = null;
        try
        {
            CommunicationLibraries.EnsureNccl();
        }
        catch (CommunicationLibraryNotFoundException e)
        {
            failure = e;
        }
        Span<double> missingRanks = [failure is null ? 0 : 1];
        mpi.AllReduceSum(missingRanks);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        if (missingRanks[0] > 0) throw new DistributedException($"{missingRanks[0]} rank(s) of the job could not load NCCL (libnccl.so.2); see their messages.");
        _mpi = mpi;
        _ownsMpi = ownsMpi;
        _backend = backend;
        var id = default(NcclUniqueId);
        if (mpi.Rank == 0) Nccl.Check(Nccl.ncclGetUniqueId(out id));
        mpi.Broadcast(new Span<byte>(id.Internal, NcclUniqueId.Size), 0);
        backend.CurrentStream(); // NCCL binds the communicator to the device current on this thread
        Nccl.Check(Nccl.ncclCommInitRank(out _comm, mpi.Size, id, mpi.Rank));
        Description = $"NCCL {Nccl.VersionText()} over {mpi.Description}";
    }

    /// <inheritdoc/>
    public int Rank => _mpi.Rank;

    /// <inheritdoc/>
    public int Size => _mpi.Size;

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public void Broadcast(Tensor tensor, int root)
    {
        TensorStorage.RequireWritable(tensor, "Broadcast");
        TensorStorage.RequireRoot(root, Size);
        if (!OnThisGpu(tensor))
        {
            _mpi.Broadcast(tensor, root);
            return;
        }
        lock (_gate)
        {
            var stream = _backend.CurrentStream();
            nint p = ((CudaBuffer)tensor.Buffer).Pointer;
            Nccl.Check(Nccl.ncclBroadcast(p, p, (nuint)tensor.Count, Nccl.Float32, root, Communicator(), stream));
        }
    }

    /// <inheritdoc/>
    public void AllReduceSumInPlace(Tensor tensor)
    {
        TensorStorage.RequireWritable(tensor, "AllReduceSumInPlace");
        if (!OnThisGpu(tensor))
        {
            _mpi.AllReduceSumInPlace(tensor);
            return;
        }
        lock (_gate)
        {
            var stream = _backend.CurrentStream();
            nint p = ((CudaBuffer)tensor.Buffer).Pointer;
            Nccl.Check(Nccl.ncclAllReduce(p, p, (nuint)tensor.Count, Nccl.Float32, Nccl.Sum, Communicator(), stream));
        }
    }

    /// <inheritdoc/>
    public Tensor AllReduceSum(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!OnThisGpu(tensor)) return _mpi.AllReduceSum(tensor);
        var sum = Ops.Copy(tensor, track: false);
        try
        {
            AllReduceSumInPlace(sum);
            return sum;
        }
        catch
        {
            sum.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> buffer, int root) => _mpi.Broadcast(buffer, root);

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) => _mpi.AllReduceSum(values);

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) => _mpi.AllReduceSum(values);

    /// <inheritdoc/>
    public void Barrier()
    {
        _backend.Synchronize();
        _mpi.Barrier();
    }

    /// <inheritdoc/>
    public void AbortJob(int exitCode)
    {
        lock (_gate)
        {
            if (_comm != 0) Nccl.ncclCommAbort(_comm);
            _comm = 0;
        }
        _mpi.AbortJob(exitCode);
    }

    /// <summary>Waits for this rank's pending NCCL work, destroys the NCCL communicator and, when owned, finalises MPI.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_comm == 0) return;
            _backend.Synchronize();
            Nccl.ncclCommDestroy(_comm);
            _comm = 0;
        }
        if (_ownsMpi) _mpi.Dispose();
    }

    private bool OnThisGpu(Tensor tensor) => ReferenceEquals(tensor.Backend, _backend);

    private nint Communicator() => _comm != 0 ? _comm : throw new ObjectDisposedException(nameof(NcclCommunicator));
}
