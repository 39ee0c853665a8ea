namespace AlexNet.Gpu;

/// <summary>What the CUDA libraries report about a device and themselves (no nvidia-smi needed).</summary>
/// <param name="Index">Device ordinal.</param>
/// <param name="Name">Device name, e.g. <c>NVIDIA H100 80GB HBM3</c>.</param>
/// <param name="ComputeCapability">e.g. <c>9.0</c>.</param>
/// <param name="Multiprocessors">Number of SMs.</param>
/// <param name="TotalMemoryBytes">Device memory.</param>
/// <param name="DriverVersion">CUDA version the driver supports, e.g. 13000 for 13.0.</param>
/// <param name="RuntimeVersion">CUDA runtime version, e.g. 13000.</param>
/// <param name="CudnnVersion">cuDNN version (major·10000 + minor·100 + patch for cuDNN 9).</param>
/// <param name="CublasVersion">cuBLAS version as cublasGetVersion reports it.</param>
/// <param name="NvrtcVersion">NVRTC version, e.g. <c>13.0</c>.</param>
/// <param name="KernelArchitecture">Architecture the backend's own kernels were compiled for.</param>
public sealed record CudaDeviceInfo(
    int Index, string Name, string ComputeCapability, int Multiprocessors, long TotalMemoryBytes,
    int DriverVersion, int RuntimeVersion, long CudnnVersion, int CublasVersion, string NvrtcVersion, string KernelArchitecture)
{
    /// <summary>One line per fact, for logs.</summary>
    public override string ToString() =>
        $"device {Index}: {Name}, compute capability {ComputeCapability}, {Multiprocessors} SMs, {TotalMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB{Environment.NewLine}" +
        $"driver supports CUDA {FormatCuda(DriverVersion)}, runtime {FormatCuda(RuntimeVersion)}, cuDNN {CudnnVersion}, cuBLAS {CublasVersion}, " +
        $"NVRTC {NvrtcVersion}, kernels built for {KernelArchitecture}";

    private static string FormatCuda(int v) => $"{v / 1000}.{v % 1000 / 10}";
}
