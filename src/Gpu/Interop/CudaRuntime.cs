using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Gpu.Loading;

namespace AlexNet.Gpu.Interop;

/// <summary>Bindings to the CUDA runtime API (<c>libcudart.so.13</c> or <c>.12</c>).</summary>
internal static partial class CudaRuntime
{
    private const string Library = CudaLibrarySets.Runtime;

    /// <summary><c>cudaMemcpyHostToDevice</c>.</summary>
    public const int MemcpyHostToDevice = 1;
    /// <summary><c>cudaMemcpyDeviceToHost</c>.</summary>
    public const int MemcpyDeviceToHost = 2;
    /// <summary><c>cudaMemcpyDeviceToDevice</c>.</summary>
    public const int MemcpyDeviceToDevice = 3;
    /// <summary><c>cudaErrorMemoryAllocation</c>.</summary>
    public const int ErrorMemoryAllocation = 2;
    /// <summary><c>cudaDevAttrMultiProcessorCount</c>.</summary>
    public const int DevAttrMultiProcessorCount = 16;
    /// <summary><c>cudaDevAttrComputeCapabilityMajor</c>.</summary>
    public const int DevAttrComputeCapabilityMajor = 75;
    /// <summary><c>cudaDevAttrComputeCapabilityMinor</c>.</summary>
    public const int DevAttrComputeCapabilityMinor = 76;

    [LibraryImport(Library)] internal static partial int cudaGetDeviceCount(out int count);
    [LibraryImport(Library)] internal static partial int cudaSetDevice(int device);
    [LibraryImport(Library)] internal static partial int cudaDeviceGetAttribute(out int value, int attribute, int device);
    [LibraryImport(Library)] internal static partial int cudaRuntimeGetVersion(out int version);
    [LibraryImport(Library)] internal static partial int cudaDriverGetVersion(out int version);
    [LibraryImport(Library)] internal static partial nint cudaGetErrorString(int error);
    [LibraryImport(Library)] internal static partial nint cudaGetErrorName(int error);
    [LibraryImport(Library)] internal static partial int cudaGetLastError();
    [LibraryImport(Library)] internal static partial int cudaMemGetInfo(out nuint free, out nuint total);
    [LibraryImport(Library)] internal static partial int cudaMalloc(out nint devicePointer, nuint size);
    [LibraryImport(Library)] internal static partial int cudaFree(nint devicePointer);
    [LibraryImport(Library)] internal static partial int cudaMemcpyAsync(nint destination, nint source, nuint count, int kind, nint stream);
    [LibraryImport(Library)] internal static partial int cudaMemsetAsync(nint devicePointer, int value, nuint count, nint stream);
    [LibraryImport(Library)] internal static partial int cudaStreamCreateWithFlags(out nint stream, uint flags);
    [LibraryImport(Library)] internal static partial int cudaStreamDestroy(nint stream);
    [LibraryImport(Library)] internal static partial int cudaStreamSynchronize(nint stream);
    [LibraryImport(Library)] internal static partial int cudaDeviceSynchronize();

    /// <summary>Throws a <see cref="CudaException"/> naming the call when <paramref name="status"/> is not cudaSuccess.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        throw new CudaException(CallName.Of(call), status, Describe(status));
    }

    /// <summary>The runtime's name and text for a status, e.g. <c>cudaErrorMemoryAllocation: out of memory</c>.</summary>
    public static string Describe(int status)
    {
        try
        {
            var name = Marshal.PtrToStringUTF8(cudaGetErrorName(status)) ?? "?";
            var text = Marshal.PtrToStringUTF8(cudaGetErrorString(status)) ?? "?";
            return $"{name}: {text}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"cudaError {status}";
        }
    }
}
