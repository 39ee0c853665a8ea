namespace AlexNet.Gpu.Loading;

/// <summary>
/// The native libraries the backend needs, grouped and in dependency order (gpu-interop.md §6): the driver, the CUDA
/// toolkit libraries of one major version (13 preferred, then 12) and cuDNN 9 with every sub-library its shim loads.
/// </summary>
internal static class CudaLibrarySets
{
    /// <summary>Logical name of the driver API library.</summary>
    public const string Driver = "alexnet-cuda";

    /// <summary>Logical name of the CUDA runtime.</summary>
    public const string Runtime = "alexnet-cudart";

    /// <summary>Logical name of cuBLAS.</summary>
    public const string Cublas = "alexnet-cublas";

    /// <summary>Logical name of NVRTC.</summary>
    public const string Nvrtc = "alexnet-nvrtc";

    /// <summary>Logical name of the cuDNN shim library.</summary>
    public const string Cudnn = "alexnet-cudnn";

    /// <summary>The driver: system library, one soname.</summary>
    public static IReadOnlyList<LibrarySpec> DriverSet { get; } = [new(Driver, ["libcuda.so.1"])];

    /// <summary>Toolkit libraries of one CUDA major version, in load order.</summary>
    public static IReadOnlyList<LibrarySpec> Toolkit(int major) =>
    [
        new(Runtime, [$"libcudart.so.{major}"]),
        new("alexnet-cublaslt", [$"libcublasLt.so.{major}"]),
        new(Cublas, [$"libcublas.so.{major}"]),
        new("alexnet-nvrtc-builtins", [$"libnvrtc-builtins.so.{major}.*"]),
        new(Nvrtc, [$"libnvrtc.so.{major}"]),
    ];

    /// <summary>CUDA major versions tried, best first.</summary>
    public static IReadOnlyList<int> ToolkitMajors { get; } = [13, 12];

    /// <summary>cuDNN 9: the graph library, its engines, the legacy ops and cnn libraries, then the shim.</summary>
    public static IReadOnlyList<LibrarySpec> CudnnSet { get; } =
    [
        new("alexnet-cudnn-graph", ["libcudnn_graph.so.9"]),
        new("alexnet-cudnn-engines-precompiled", ["libcudnn_engines_precompiled.so.9"]),
        new("alexnet-cudnn-heuristic", ["libcudnn_heuristic.so.9"]),
        new("alexnet-cudnn-engines-runtime-compiled", ["libcudnn_engines_runtime_compiled.so.9"]),
        new("alexnet-cudnn-engines-tensor-ir", ["libcudnn_engines_tensor_ir.so.9"], Required: false),
        new("alexnet-cudnn-ops", ["libcudnn_ops.so.9"]),
        new("alexnet-cudnn-cnn", ["libcudnn_cnn.so.9"]),
        new("alexnet-cudnn-adv", ["libcudnn_adv.so.9"], Required: false),
        new(Cudnn, ["libcudnn.so.9"]),
    ];
}
