using AlexNet.Autograd.Kernels;
using AlexNet.Distributed;
using AlexNet.Gpu;

namespace AlexNet.Train.Cli;

/// <summary>
/// How <c>alexnet train</c> takes part in an MPI job (<c>mpirun -np N alexnet train …</c>): it notices the launcher,
/// takes its own GPU, joins the other ranks, keeps quiet unless it is rank 0, and when it fails alone ends the whole
/// job instead of leaving the others waiting for it.
/// </summary>
internal static class JobRanks
{
    /// <summary>The device this process should use: under MPI, <c>cuda</c> without a number means the GPU whose number
    /// is this process's rank on its machine (one process per GPU); anything else is kept.</summary>
    public static string Device(string device) =>
        MpiLaunch.IsLaunched && device == "cuda" ? $"cuda:{MpiLaunch.LocalRank}" : device;

    /// <summary>The ranks this process trains with: one process when no MPI launcher started it; otherwise every
    /// process of the MPI job, through MPI for CPU tensors and through NCCL for a GPU.</summary>
    /// <exception cref="CliException">Open MPI or NCCL is missing, or MPI could not start. When NCCL fails to set up for
    /// another reason, the whole job is ended.</exception>
    public static ICommunicator Join(IBackend backend, TextWriter error)
    {
        if (!MpiLaunch.IsLaunched) return SingleProcessCommunicator.Instance;
        MpiCommunicator mpi;
        try
        {
            mpi = MpiCommunicator.Initialize();
        }
        catch (DistributedException e)
        {
            throw new CliException($"started by mpirun, but MPI is not usable: {e.Message.Split('\n')[0].Trim()}");
        }
        if (backend is not CudaBackend cuda) return mpi;
        try
        {
            return new NcclCommunicator(mpi, cuda, ownsMpi: true);
        }
        catch (CommunicationLibraryNotFoundException e)
        {
            mpi.Dispose();
            throw new CliException($"training on GPUs under mpirun needs NCCL: {e.Message.Split('\n')[0].Trim()}");
        }
        catch (DistributedException e)
        {
            // NCCL's setup is collective and may have failed on this rank alone: end the job rather than wait in MPI_Finalize.
            error.WriteLine($"error on rank {mpi.Rank} of {mpi.Size} (ending the job): NCCL could not join the ranks' GPUs " +
                                    $"(each rank needs a GPU of its own: pass --device cuda, not cuda:N): {e.Message.Split('\n')[0].Trim()}");
            mpi.AbortJob(1);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="train"/> as this rank (the caller gives ranks other than 0 no output), and an error on a
    /// rank of a job is printed with the rank's number and then ends every process of the job (<c>MPI_Abort</c>),
    /// except ranks started differently, which every rank finds together and reports as a <see cref="CliException"/>.
    /// </summary>
    public static int Run(ICommunicator communicator, TextWriter error, Func<int> train)
    {
        if (communicator.Size == 1) return train();
        try
        {
            return train();
        }
        catch (RankMismatchException e)
        {
            throw new CliException(e.Message);
        }
        catch (Exception e)
        {
            // Only a mismatch is known to be raised on every rank at once; any other error may be this rank's alone, and
            // finishing MPI normally would then wait for ranks that wait for this one. Ending the job is always safe.
            error.WriteLine($"error on rank {communicator.Rank} of {communicator.Size} (ending the job): {e.Message.Split('\n')[0].Trim()}");
            communicator.AbortJob(1);
            throw;
        }
    }
}
