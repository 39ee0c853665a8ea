using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Gpu.Loading;

namespace AlexNet.Gpu.Interop;

/// <summary>Bindings to NVRTC (<c>libnvrtc.so.13</c> or <c>.12</c>), the runtime compiler for the elementwise kernels.</summary>
internal static unsafe partial class Nvrtc
{
    private const string Library = CudaLibrarySets.Nvrtc;

    [LibraryImport(Library)] internal static partial int nvrtcVersion(out int major, out int minor);
    [LibraryImport(Library)] internal static partial int nvrtcGetNumSupportedArchs(out int count);
    [LibraryImport(Library)] internal static partial int nvrtcGetSupportedArchs(int* archs);
    [LibraryImport(Library)]
    internal static partial int nvrtcCreateProgram(out nint program, byte* source, byte* name, int numHeaders, byte** headers, byte** includeNames);
    [LibraryImport(Library)] internal static partial int nvrtcCompileProgram(nint program, int numOptions, byte** options);
    [LibraryImport(Library)] internal static partial int nvrtcGetProgramLogSize(nint program, out nuint size);
    [LibraryImport(Library)] internal static partial int nvrtcGetProgramLog(nint program, byte* log);
    [LibraryImport(Library)] internal static partial int nvrtcGetCUBINSize(nint program, out nuint size);
    [LibraryImport(Library)] internal static partial int nvrtcGetCUBIN(nint program, byte* cubin);
    [LibraryImport(Library)] internal static partial int nvrtcGetPTXSize(nint program, out nuint size);
    [LibraryImport(Library)] internal static partial int nvrtcGetPTX(nint program, byte* ptx);
    [LibraryImport(Library)] internal static partial int nvrtcDestroyProgram(ref nint program);
    [LibraryImport(Library)] internal static partial nint nvrtcGetErrorString(int result);

    /// <summary>Throws an <see cref="NvrtcException"/> naming the call when <paramref name="status"/> is not NVRTC_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        throw new NvrtcException(CallName.Of(call), status, Describe(status));
    }

    /// <summary>NVRTC's text for a result code.</summary>
    public static string Describe(int status)
    {
        try
        {
            return Marshal.PtrToStringUTF8(nvrtcGetErrorString(status)) ?? $"nvrtcResult {status}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"nvrtcResult {status}";
        }
    }
}
