using AlexNet.Gpu.Interop;
using AlexNet.Gpu.Interop.Handles;

namespace AlexNet.Gpu.Kernels;

/// <summary>The backend's compiled kernels loaded into its context, with launch helpers for its stream.</summary>
internal sealed unsafe class KernelModule : IDisposable
{
    private const int MaxGrid = 1 << 20;
    private readonly CudaModule _module;
    private readonly Dictionary<string, nint> _functions = new(StringComparer.Ordinal);

    private KernelModule(CudaModule module, string architecture)
    {
        _module = module;
        Architecture = architecture;
        foreach (var name in KernelSource.Names) _functions[name] = module.Function(name);
    }

    /// <summary>The architecture the kernels were compiled for.</summary>
    public string Architecture { get; }

    /// <summary>Compiles (or takes from the cache) and loads the kernels for a device of the given compute capability.</summary>
    public static KernelModule Load(int major, int minor)
    {
        var compiled = KernelCompiler.Get(major, minor);
        var module = CudaModule.Load(compiled.Image);
        try
        {
            return new KernelModule(module, compiled.Architecture);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Launches a grid-stride kernel over <paramref name="work"/> elements.</summary>
    public void Launch(string kernel, long work, nint stream, void** args)
    {
        if (work <= 0) return;
        long blocks = Math.Min((work + KernelSource.BlockSize - 1) / KernelSource.BlockSize, MaxGrid);
        Run(kernel, (uint)blocks, stream, args);
    }

    /// <summary>Launches a one-block-per-row kernel over <paramref name="rows"/> rows.</summary>
    public void LaunchRows(string kernel, long rows, nint stream, void** args)
    {
        if (rows <= 0) return;
        Run(kernel, (uint)Math.Min(rows, MaxGrid), stream, args);
    }

    private void Run(string kernel, uint blocks, nint stream, void** args)
    {
        int status = CudaDriver.cuLaunchKernel(_functions[kernel], blocks, 1, 1, KernelSource.BlockSize, 1, 1, 0, stream, args, null);
        if (status != 0) throw new CudaDriverException($"cuLaunchKernel({kernel})", status, CudaDriver.Describe(status));
    }

    /// <inheritdoc/>
    public void Dispose() => _module.Dispose();
}
