namespace AlexNet.Distributed;

/// <summary>
/// What the MPI launcher (<c>mpirun</c>/<c>mpiexec</c>) tells a process it started, through the environment: whether
/// this process is one rank of a job, the job's size, and this rank's number among the ranks on its machine (the GPU
/// it should take).
/// </summary>
public static class MpiLaunch
{
    /// <summary>True when an MPI launcher started this process (Open MPI's <c>OMPI_COMM_WORLD_SIZE</c>, or the
    /// <c>PMI_SIZE</c>/<c>PMIX_RANK</c> of other launchers, is set).</summary>
    public static bool IsLaunched =>
        Variable("OMPI_COMM_WORLD_SIZE") is not null || Variable("PMI_SIZE") is not null || Variable("PMIX_RANK") is not null;

    /// <summary>The job's number of processes as the launcher announced it, or null when not launched by MPI.</summary>
    public static int? WorldSize => Integer("OMPI_COMM_WORLD_SIZE") ?? Integer("PMI_SIZE");

    /// <summary>This process's rank among those on the same machine (0 when unknown): one GPU per local rank.</summary>
    public static int LocalRank => Integer("OMPI_COMM_WORLD_LOCAL_RANK") ?? Integer("MPI_LOCALRANKID") ?? 0;

    /// <summary>This process's rank in the whole job as the launcher announced it (0 when unknown or not launched by
    /// MPI), known before MPI is initialised: rank 0 alone prepares the files the job writes.</summary>
    public static int WorldRank => Integer("OMPI_COMM_WORLD_RANK") ?? Integer("PMIX_RANK") ?? Integer("PMI_RANK") ?? 0;

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static int? Integer(string name) => int.TryParse(Variable(name), out int v) ? v : null;
}
