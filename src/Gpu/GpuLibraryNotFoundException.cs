namespace AlexNet.Gpu;

/// <summary>
/// A native CUDA library (driver, runtime, cuBLAS, NVRTC or a cuDNN sub-library) could not be loaded. Raised before the
/// first call into the library, because cuDNN aborts the whole process when one of its sub-libraries is missing.
/// </summary>
public sealed class GpuLibraryNotFoundException : GpuException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="missing">The libraries that could not be loaded (file names or sonames).</param>
    /// <param name="searched">Every path or soname that was tried, with the loader's error where it gave one.</param>
    public GpuLibraryNotFoundException(IReadOnlyList<string> missing, IReadOnlyList<string> searched)
        : base(Format(missing, searched))
    {
        Missing = missing;
        Searched = searched;
    }

    /// <summary>The libraries that could not be loaded.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Every path or soname tried, in order.</summary>
    public IReadOnlyList<string> Searched { get; }

    private static string Format(IReadOnlyList<string> missing, IReadOnlyList<string> searched) =>
        $"Could not load the CUDA libraries {string.Join(", ", missing)}. Put their folders in {GpuLibraries.PathVariable} " +
        "(colon-separated) or LD_LIBRARY_PATH. Searched:" + Environment.NewLine +
        string.Join(Environment.NewLine, searched.Select(s => "  " + s));
}
