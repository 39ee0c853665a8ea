using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Gpu.Loading;

namespace AlexNet.Gpu;

/// <summary>
/// Finds and loads the native CUDA libraries (driver, runtime, cuBLAS, NVRTC, cuDNN 9) and routes this assembly's
/// P/Invoke calls to them.
/// </summary>
/// <remarks>
/// Only versioned file names exist in the pip wheels, so the libraries are resolved by soname: first in the folders of
/// <see cref="PathVariable"/>, then in the PyTorch venv's <c>nvidia/cu13/lib</c> and <c>nvidia/cudnn/lib</c> (and the
/// CUDA 12 wheel folders), then <c>LD_LIBRARY_PATH</c> and the usual system folders, then by plain soname through the
/// system loader. CUDA 13 is preferred over 12, one major version for all toolkit libraries. Everything is loaded by
/// full path in dependency order, and a missing library is reported as a <see cref="GpuLibraryNotFoundException"/>
/// before any cuDNN call (cuDNN would abort the process).
/// </remarks>
public static class GpuLibraries
{
    /// <summary>Environment variable naming extra folders (colon-separated) searched first.</summary>
    public const string PathVariable = "ALEXNET_CUDA_PATH";

    private const string DefaultVenvLib = "/opt/torch/.venv/lib";

    private static readonly Lock Gate = new();
    private static Dictionary<string, nint>? s_handles;
    private static GpuLibraryNotFoundException? s_failure;

    // The resolver must be in place before the first P/Invoke of this assembly, whichever class makes it; a module
    // initializer is the one hook that guarantees that (CA2255 is about libraries doing surprising work at load time).
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(GpuLibraries).Assembly, Resolve);

    /// <summary>The folders searched, in order (existing or not).</summary>
    public static IReadOnlyList<string> SearchFolders()
    {
        var folders = new List<string>();
        void AddPathList(string? list)
        {
            if (string.IsNullOrWhiteSpace(list)) return;
            foreach (var f in list.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) folders.Add(f);
        }
        AddPathList(Environment.GetEnvironmentVariable(PathVariable));
        foreach (var sitePackages in SitePackages())
        {
            folders.Add(Path.Combine(sitePackages, "nvidia", "cu13", "lib"));
            folders.Add(Path.Combine(sitePackages, "nvidia", "cudnn", "lib"));
            folders.Add(Path.Combine(sitePackages, "nvidia", "cuda_runtime", "lib"));
            folders.Add(Path.Combine(sitePackages, "nvidia", "cublas", "lib"));
            folders.Add(Path.Combine(sitePackages, "nvidia", "cuda_nvrtc", "lib"));
        }
        AddPathList(Environment.GetEnvironmentVariable("LD_LIBRARY_PATH"));
        folders.Add("/usr/local/cuda/lib64");
        folders.Add("/usr/local/cuda/targets/x86_64-linux/lib");
        folders.Add("/usr/lib/x86_64-linux-gnu");
        folders.Add("/usr/lib64");
        folders.Add("/usr/lib/wsl/lib");
        return folders.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Loads every library the CUDA backend needs (idempotent; a failure is remembered and rethrown).</summary>
    /// <exception cref="GpuLibraryNotFoundException">A required library could not be loaded; the message lists every path tried.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (s_handles is not null) return;
            if (s_failure is not null) throw s_failure;
            try
            {
                s_handles = LoadAll(SearchFolders());
            }
            catch (GpuLibraryNotFoundException e)
            {
                s_failure = e;
                throw;
            }
        }
    }

    /// <summary>Like <see cref="EnsureLoaded"/> but reports a failure instead of throwing.</summary>
    /// <param name="error">Why loading failed, or null.</param>
    /// <returns>True when every required library is loaded.</returns>
    public static bool TryEnsureLoaded(out string? error)
    {
        try
        {
            EnsureLoaded();
            error = null;
            return true;
        }
        catch (GpuLibraryNotFoundException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Loads the driver, one toolkit major version and cuDNN from <paramref name="folders"/>.</summary>
    internal static Dictionary<string, nint> LoadAll(IReadOnlyList<string> folders)
    {
        var handles = LibraryProbe.Load(CudaLibrarySets.DriverSet, folders, systemSearch: true);
        GpuLibraryNotFoundException? toolkitFailure = null;
        var missing = new List<string>();
        var searched = new List<string>();
        foreach (int major in CudaLibrarySets.ToolkitMajors)
        {
            try
            {
                foreach (var (k, v) in LibraryProbe.Load(CudaLibrarySets.Toolkit(major), folders, systemSearch: true)) handles[k] = v;
                toolkitFailure = null;
                break;
            }
            catch (GpuLibraryNotFoundException e)
            {
                missing.AddRange(e.Missing);
                searched.AddRange(e.Searched);
                toolkitFailure = new GpuLibraryNotFoundException(missing, searched);
            }
        }
        if (toolkitFailure is not null) throw toolkitFailure;
        foreach (var (k, v) in LibraryProbe.Load(CudaLibrarySets.CudnnSet, folders, systemSearch: true)) handles[k] = v;
        return handles;
    }

    private static IEnumerable<string> SitePackages()
    {
        var found = new List<string> { Path.Combine(DefaultVenvLib, "python3.12", "site-packages") };
        try
        {
            if (Directory.Exists(DefaultVenvLib))
            {
                found.AddRange(Directory.EnumerateDirectories(DefaultVenvLib, "python3*")
                    .Select(d => Path.Combine(d, "site-packages")).OrderByDescending(d => d, StringComparer.Ordinal));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable venv folder only means fewer places to look.
        }
        return found.Distinct(StringComparer.Ordinal);
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.StartsWith("alexnet-", StringComparison.Ordinal)) return 0;
        EnsureLoaded();
        lock (Gate)
        {
            return s_handles!.TryGetValue(libraryName, out var h) ? h : 0;
        }
    }
}
