using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Gpu.Loading;

namespace AlexNet.Gpu.Interop;

/// <summary>Bindings to the CUDA driver API (<c>libcuda.so.1</c>): primary context, modules and kernel launches.</summary>
internal static unsafe partial class CudaDriver
{
    private const string Library = CudaLibrarySets.Driver;

    [LibraryImport(Library)] internal static partial int cuInit(uint flags);
    [LibraryImport(Library)] internal static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Library)] internal static partial int cuDeviceGetCount(out int count);
    [LibraryImport(Library)] internal static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Library)] internal static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Library)] internal static partial int cuDevicePrimaryCtxRetain(out nint context, int device);
    [LibraryImport(Library)] internal static partial int cuDevicePrimaryCtxRelease_v2(int device);
    [LibraryImport(Library)] internal static partial int cuCtxSetCurrent(nint context);
    [LibraryImport(Library)] internal static partial int cuModuleLoadData(out nint module, byte* image);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int cuModuleGetFunction(out nint function, nint module, string name);
    [LibraryImport(Library)] internal static partial int cuModuleUnload(nint module);
    [LibraryImport(Library)]
    internal static partial int cuLaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemBytes, nint stream, void** kernelParams, void** extra);
    [LibraryImport(Library)] internal static partial int cuGetErrorString(int error, out nint text);
    [LibraryImport(Library)] internal static partial int cuGetErrorName(int error, out nint name);

    /// <summary>Throws a <see cref="CudaDriverException"/> naming the call when <paramref name="status"/> is not CUDA_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        throw new CudaDriverException(CallName.Of(call), status, Describe(status));
    }

    /// <summary>The driver's name and text for a status.</summary>
    public static string Describe(int status)
    {
        try
        {
            string name = cuGetErrorName(status, out var n) == 0 ? Marshal.PtrToStringUTF8(n) ?? "?" : "?";
            string text = cuGetErrorString(status, out var t) == 0 ? Marshal.PtrToStringUTF8(t) ?? "?" : "?";
            return $"{name}: {text}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"CUresult {status}";
        }
    }
}
