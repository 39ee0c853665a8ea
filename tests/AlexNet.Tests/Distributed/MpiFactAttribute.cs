using AlexNet.Distributed;
using Xunit;

namespace AlexNet.Tests.Distributed;

/// <summary>A fact that runs only where Open MPI's <c>mpirun</c> and <c>libmpi</c> are installed; elsewhere it is skipped
/// with the reason.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when mpirun or libmpi is missing.</summary>
    public MpiFactAttribute()
    {
        if (MpiJob.Mpirun is null)
            Skip = "no mpirun on PATH (install Open MPI: apt-get install openmpi-bin libopenmpi-dev)";
        else if (!MpiCommunicator.IsAvailable(out var reason))
            Skip = "no libmpi: " + FirstLine(reason ?? "unknown");
    }

    private static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }
}
