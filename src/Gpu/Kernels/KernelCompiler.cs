using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu.Kernels;

/// <summary>
/// Compiles <see cref="KernelSource.Code"/> with NVRTC, once per compute capability per process: a CUBIN for the device's
/// own <c>sm_XY</c> when NVRTC supports it, otherwise PTX for the newest supported <c>compute_XY</c> below it (the driver
/// JIT-compiles that when the module is loaded).
/// </summary>
internal static unsafe class KernelCompiler
{
    private static readonly ConcurrentDictionary<int, Lazy<CompiledKernels>> Cache = new();

    /// <summary>The compiled image for compute capability <paramref name="major"/>.<paramref name="minor"/>.</summary>
    /// <exception cref="NvrtcException">Compilation failed; the message carries NVRTC's log.</exception>
    public static CompiledKernels Get(int major, int minor) =>
        Cache.GetOrAdd(major * 10 + minor, cc => new Lazy<CompiledKernels>(() => Compile(cc))).Value;

    private static CompiledKernels Compile(int cc)
    {
        var (arch, cubin) = ChooseArchitecture(cc);
        try
        {
            return Compile(arch, cubin);
        }
        catch (NvrtcException) when (cubin)
        {
            // Some NVRTC builds cannot emit a CUBIN for every listed target; PTX for the same generation is JIT-compiled
            // by the driver instead. A genuine source error fails again and is reported from this second attempt.
            return Compile($"compute_{cc}", cubin: false);
        }
    }

    private static CompiledKernels Compile(string arch, bool cubin)
    {
        var options = new[] { $"--gpu-architecture={arch}", "--fmad=false" };
        var source = Utf8(KernelSource.Code);
        var name = Utf8("alexnet_kernels.cu");
        nint program;
        fixed (byte* src = source)
        fixed (byte* nm = name)
        {
            Nvrtc.Check(Nvrtc.nvrtcCreateProgram(out program, src, nm, 0, null, null));
        }
        try
        {
            var optionBytes = options.Select(Utf8).ToArray();
            var handles = optionBytes.Select(b => GCHandle.Alloc(b, GCHandleType.Pinned)).ToArray();
            int status;
            try
            {
                var pointers = stackalloc byte*[handles.Length];
                for (int i = 0; i < handles.Length; i++) pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                status = Nvrtc.nvrtcCompileProgram(program, handles.Length, pointers);
            }
            finally
            {
                foreach (var h in handles) h.Free();
            }
            if (status != 0)
            {
                throw new NvrtcException("nvrtcCompileProgram", status,
                    $"{Nvrtc.Describe(status)} (options: {string.Join(' ', options)}){Environment.NewLine}{Log(program)}");
            }
            byte[] image;
            if (cubin)
            {
                Nvrtc.Check(Nvrtc.nvrtcGetCUBINSize(program, out var size));
                image = new byte[(int)size];
                fixed (byte* p = image) Nvrtc.Check(Nvrtc.nvrtcGetCUBIN(program, p));
            }
            else
            {
                Nvrtc.Check(Nvrtc.nvrtcGetPTXSize(program, out var size));
                image = new byte[(int)size + 1];
                fixed (byte* p = image) Nvrtc.Check(Nvrtc.nvrtcGetPTX(program, p));
            }
            return new CompiledKernels(arch, image);
        }
        finally
        {
            Nvrtc.nvrtcDestroyProgram(ref program);
        }
    }

    private static (string Arch, bool Cubin) ChooseArchitecture(int cc)
    {
        int[] supported;
        try
        {
            Nvrtc.Check(Nvrtc.nvrtcGetNumSupportedArchs(out int count));
            supported = new int[count];
            fixed (int* p = supported) Nvrtc.Check(Nvrtc.nvrtcGetSupportedArchs(p));
        }
        catch (Exception e) when (e is NvrtcException or EntryPointNotFoundException)
        {
            return ($"sm_{cc}", true);
        }
        if (supported.Length == 0 || supported.Contains(cc)) return ($"sm_{cc}", true);
        var below = supported.Where(a => a <= cc).DefaultIfEmpty(supported.Min()).Max();
        return ($"compute_{below}", false);
    }

    private static string Log(nint program)
    {
        if (Nvrtc.nvrtcGetProgramLogSize(program, out var size) != 0 || size <= 1) return "(no compiler log)";
        var log = new byte[(int)size];
        fixed (byte* p = log)
        {
            if (Nvrtc.nvrtcGetProgramLog(program, p) != 0) return "(compiler log unavailable)";
        }
        return Encoding.UTF8.GetString(log, 0, log.Length - 1);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
