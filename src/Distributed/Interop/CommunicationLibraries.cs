using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Gpu;

namespace AlexNet.Distributed.Interop;

/// <summary>
/// Finds and loads Open MPI's <c>libmpi.so.40</c> and NVIDIA's <c>libnccl.so.2</c> and routes this assembly's P/Invoke
/// calls to them (logical names <see cref="Mpi"/> and <see cref="Nccl"/>).
/// </summary>
/// <remarks>
/// <c>libmpi</c> is taken from <see cref="MpiPathVariable"/> (a file) when set, else by soname through the system
/// loader (Debian's <c>openmpi-bin</c>/<c>libopenmpi-dev</c> put it in <c>/usr/lib/x86_64-linux-gnu</c>). <c>libnccl</c> is
/// searched in <see cref="NcclPathVariable"/>'s folders, then beside every folder the CUDA backend searches (PyTorch's
/// pip layout keeps it in <c>site-packages/nvidia/nccl/lib</c>, next to <c>nvidia/cu13/lib</c>), then by soname. A
/// failure is remembered and rethrown, so a missing library costs one search.
/// </remarks>
internal static class CommunicationLibraries
{
    /// <summary>Logical name of Open MPI's library.</summary>
    public const string Mpi = "alexnet-mpi";

    /// <summary>Logical name of NCCL.</summary>
    public const string Nccl = "alexnet-nccl";

    /// <summary>Environment variable with the full path of <c>libmpi.so</c> to use instead of the system's.</summary>
    public const string MpiPathVariable = "ALEXNET_MPI_LIBRARY";

    /// <summary>Environment variable naming extra folders (colon-separated) searched first for <c>libnccl.so.2</c>.</summary>
    public const string NcclPathVariable = "ALEXNET_NCCL_PATH";

    /// <summary>The packages that provide Open MPI on Debian and Ubuntu.</summary>
    public const string MpiInstallHint = "Install Open MPI (as root: apt-get install openmpi-bin libopenmpi-dev) or set " + MpiPathVariable + " to its libmpi.so.40.";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, nint> Handles = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, CommunicationLibraryNotFoundException> Failures = new(StringComparer.Ordinal);

#pragma warning disable CA2255 // the resolver must be in place before this assembly's first P/Invoke, whichever class makes it
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(CommunicationLibraries).Assembly, Resolve);

    /// <summary>Loads <c>libmpi</c> (idempotent) and returns its handle.</summary>
    /// <exception cref="CommunicationLibraryNotFoundException">It is not installed or not Open MPI.</exception>
    public static nint EnsureMpi() => Ensure(Mpi, LoadMpi);

    /// <summary>Loads <c>libnccl.so.2</c> (idempotent) and returns its handle.</summary>
    /// <exception cref="CommunicationLibraryNotFoundException">It is not installed.</exception>
    public static nint EnsureNccl() => Ensure(Nccl, LoadNccl);

    /// <summary>Like <see cref="EnsureMpi"/> but reports a failure instead of throwing.</summary>
    /// <param name="error">Why loading failed, or null.</param>
    public static bool TryEnsureMpi(out string? error)
    {
        try
        {
            EnsureMpi();
            error = null;
            return true;
        }
        catch (CommunicationLibraryNotFoundException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static nint Ensure(string name, Func<nint> load)
    {
        lock (Gate)
        {
            if (Handles.TryGetValue(name, out var h)) return h;
            if (Failures.TryGetValue(name, out var failure)) throw failure;
            try
            {
                h = load();
            }
            catch (CommunicationLibraryNotFoundException e)
            {
                Failures[name] = e;
                throw;
            }
            Handles[name] = h;
            return h;
        }
    }

    private static nint LoadMpi()
    {
        var attempts = new List<string>();
        var given = Environment.GetEnvironmentVariable(MpiPathVariable);
        string[] candidates = string.IsNullOrWhiteSpace(given) ? ["libmpi.so.40", "libmpi.so"] : [given.Trim()];
        foreach (var candidate in candidates)
        {
            nint h = TryLoad(candidate, attempts);
            if (h == 0) continue;
            if (!NativeLibrary.TryGetExport(h, "ompi_mpi_comm_world", out _))
            {
                attempts.Add($"{candidate} (loaded, but it is not Open MPI: it exports no ompi_mpi_comm_world; these bindings use Open MPI's handles)");
                continue;
            }
            return h;
        }
        throw new CommunicationLibraryNotFoundException("Open MPI's libmpi.so.40", MpiInstallHint, attempts);
    }

    private static nint LoadNccl()
    {
        var attempts = new List<string>();
        foreach (var folder in NcclFolders())
        {
            var path = Path.Combine(folder, "libnccl.so.2");
            if (!File.Exists(path))
            {
                attempts.Add($"{path} (no such file)");
                continue;
            }
            nint h = TryLoad(path, attempts);
            if (h != 0) return h;
        }
        nint system = TryLoad("libnccl.so.2", attempts);
        if (system != 0) return system;
        throw new CommunicationLibraryNotFoundException("NVIDIA NCCL (libnccl.so.2)",
            $"Install it (pip install nvidia-nccl-cu13 into the PyTorch venv, or the libnccl2 package) or put its folder in {NcclPathVariable}.", attempts);
    }

    /// <summary>The folders searched for NCCL, in order.</summary>
    public static IReadOnlyList<string> NcclFolders()
    {
        var folders = new List<string>();
        var extra = Environment.GetEnvironmentVariable(NcclPathVariable);
        if (!string.IsNullOrWhiteSpace(extra))
            folders.AddRange(extra.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var folder in GpuLibraries.SearchFolders())
        {
            // site-packages/nvidia/<x>/lib → site-packages/nvidia/nccl/lib
            var parent = Path.GetDirectoryName(Path.GetDirectoryName(folder.TrimEnd('/')));
            if (parent is not null && Path.GetFileName(parent) == "nvidia") folders.Add(Path.Combine(parent, "nccl", "lib"));
            folders.Add(folder);
        }
        return folders.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static nint TryLoad(string pathOrSoname, List<string> attempts)
    {
        try
        {
            return NativeLibrary.Load(pathOrSoname);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            attempts.Add($"{pathOrSoname} ({(lines.Length == 0 ? "load failed" : lines[^1])})");
            return 0;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName switch
    {
        Mpi => EnsureMpi(),
        Nccl => EnsureNccl(),
        _ => 0,
    };
}
