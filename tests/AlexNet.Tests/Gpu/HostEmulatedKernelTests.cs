using System.Diagnostics;
using System.Globalization;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Kernels;
using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>
/// Without a GPU: the CUDA kernel source is compiled as host C++ (one thread per block, one block: every grid-stride
/// loop visits all elements in order) and its elementwise kernels are compared with the CPU backend. This checks the
/// source for syntax and type errors and the random kernels for bit-exact agreement with <see cref="RandomKey"/>.
/// The block-reduction kernels assume 256 threads and are left to the GPU tests.
/// </summary>
public sealed class HostEmulatedKernelTests : IDisposable
{
    internal const string Stubs = """
        #include <cmath>
        #include <cstring>
        #include <cstdio>
        using std::sqrt; using std::log; using std::cos;
        struct D3 { unsigned x = 0, y = 0, z = 0; };
        static D3 blockIdx, threadIdx; static D3 blockDim{1, 1, 1}, gridDim{1, 1, 1};
        #define __global__
        #define __device__
        #define __forceinline__ inline
        #define __shared__ static
        inline void __syncthreads() {}
        inline float __int_as_float(int v) { float f; std::memcpy(&f, &v, 4); return f; }
        static void dump(const float* v, int n) { for (int i = 0; i < n; i++) { unsigned b; std::memcpy(&b, &v[i], 4); std::printf("%08x\n", b); } }

        """;

    private const string Main = """

        int main() {
          const int n = 3000;
          static float u[n], g[n], m[n], y[n], x[n];
          unsigned long long key = 0x0123456789ABCDEFULL;
          k_fill_uniform(u, n, key, -0.25f, 1.25f);
          k_fill_normal(g, n, key, 0.5f, 2.0f);
          for (int i = 0; i < n; i++) x[i] = (float)(std::sin(i * 0.37) * 3.0);
          k_dropout(x, y, m, n, 0.3f, 1.0f / (1.0f - 0.3f), key);
          dump(u, n); dump(g, n); dump(m, n); dump(y, n);
          const int B = 2, C = 9, H = 3, W = 5, N = B * C * H * W;
          static float lx[N], ly[N], ldy[N], ldx[N];
          for (int i = 0; i < N; i++) { lx[i] = (float)(std::sin(i * 0.37) * 3.0); ldy[i] = (float)std::cos(i * 0.11); }
          k_lrn_forward(lx, ly, N, C, H * W, 2, 0.02f, 0.75f, 2.0f);
          k_lrn_backward(lx, ly, ldy, ldx, N, C, H * W, 2, 0.02f, 0.75f, 2.0f);
          dump(ly, N); dump(ldx, N);
          static float w[100], gw[100], v[100];
          for (int i = 0; i < 100; i++) { w[i] = (float)std::sin(i * 0.5); gw[i] = (float)std::cos(i * 0.3); v[i] = 0.01f * i; }
          k_sgd_momentum(w, gw, v, 100, 0.01f, 0.9f, 5e-4f * 0.01f);
          dump(w, 100); dump(v, 100);
          static float aw[100], ag[100], am[100], av[100];
          for (int i = 0; i < 100; i++) { aw[i] = (float)std::sin(i * 0.7); ag[i] = (float)std::cos(i * 0.2); am[i] = 0.001f * i; av[i] = 0.0002f * i; }
          k_adam(aw, ag, am, av, 100, 0.9f, 0.999f, 1e-8f, 0.01f, 1.5f, 0.001f, 1.0f);
          k_adam(aw, ag, am, av, 100, 0.9f, 0.999f, 1e-8f, 0.01f, 1.25f, 0.0f, 0.99f);
          dump(aw, 100); dump(am, 100); dump(av, 100);
          return 0;
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("alexnet-kernels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [HostCompilerFact]
    public void KernelSourceCompilesAsHostCppAndMatchesTheCpuBackend()
    {
        var values = CompileAndRun();
        int at = 0;
        float[] Next(int count)
        {
            var r = values.Skip(at).Take(count).ToArray();
            at += count;
            return r;
        }

        const int n = 3000;
        var key = new RandomKey(0x0123456789ABCDEFUL);
        var u = Next(n);
        var g = Next(n);
        var m = Next(n);
        var y = Next(n);
        float keep = 1f / (1f - 0.3f);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(-0.25f + 1.25f * key.Uniform(i), u[i]);
            Assert.Equal(0.5f + 2.0f * key.Normal(i), g[i]);
            float mask = key.Uniform(i) >= 0.3f ? keep : 0f;
            Assert.Equal(mask, m[i]);
            Assert.Equal((float)(Math.Sin(i * 0.37) * 3.0) * mask, y[i]);
        }

        using IBackend cpu = new CpuBackend();
        var geometry = new LrnGeometry(2, 9, 3, 5, 5, 0.02f, 0.75f, 2f); // n = 5: half-window 2, as the host program passes
        var lx = Enumerable.Range(0, geometry.Count).Select(i => (float)(Math.Sin(i * 0.37) * 3.0)).ToArray();
        var ldy = Enumerable.Range(0, geometry.Count).Select(i => (float)Math.Cos(i * 0.11)).ToArray();
        using var bx = cpu.Upload(lx);
        using var bdy = cpu.Upload(ldy);
        using var by = cpu.Allocate(geometry.Count);
        using var bdx = cpu.Allocate(geometry.Count);
        cpu.LrnForward(bx, by, geometry);
        cpu.LrnBackward(bx, by, bdy, bdx, geometry);
        var expectY = new float[geometry.Count];
        var expectDx = new float[geometry.Count];
        cpu.Download(by, expectY);
        cpu.Download(bdx, expectDx);
        AssertClose(expectY, Next(geometry.Count), 1e-6);
        AssertClose(expectDx, Next(geometry.Count), 1e-6);

        var w = Enumerable.Range(0, 100).Select(i => (float)Math.Sin(i * 0.5)).ToArray();
        var gw = Enumerable.Range(0, 100).Select(i => (float)Math.Cos(i * 0.3)).ToArray();
        var v = Enumerable.Range(0, 100).Select(i => 0.01f * i).ToArray();
        using var bw = cpu.Upload(w);
        using var bg = cpu.Upload(gw);
        using var bv = cpu.Upload(v);
        cpu.SgdMomentumUpdate(bw, bg, bv, 100, 0.01f, 0.9f, 5e-4f);
        cpu.Download(bw, w);
        cpu.Download(bv, v);
        Assert.Equal(w, Next(100));
        Assert.Equal(v, Next(100));

        var aw = Enumerable.Range(0, 100).Select(i => (float)Math.Sin(i * 0.7)).ToArray();
        var ag = Enumerable.Range(0, 100).Select(i => (float)Math.Cos(i * 0.2)).ToArray();
        var am = Enumerable.Range(0, 100).Select(i => 0.001f * i).ToArray();
        var av = Enumerable.Range(0, 100).Select(i => 0.0002f * i).ToArray();
        using var baw = cpu.Upload(aw);
        using var bag = cpu.Upload(ag);
        using var bam = cpu.Upload(am);
        using var bav = cpu.Upload(av);
        cpu.AdamUpdate(baw, bag, bam, bav, 100, new AdamCoefficients(0.9f, 0.999f, 1e-8f, 0.01f, 1.5f, 0.001f, 1.0f));
        cpu.AdamUpdate(baw, bag, bam, bav, 100, new AdamCoefficients(0.9f, 0.999f, 1e-8f, 0.01f, 1.25f, 0.0f, 0.99f));
        cpu.Download(baw, aw);
        cpu.Download(bam, am);
        cpu.Download(bav, av);
        Assert.Equal(aw, Next(100));
        Assert.Equal(am, Next(100));
        Assert.Equal(av, Next(100));
        Assert.Equal(values.Length, at);
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, emulated kernel gave {actual[i]}");
        }
    }

    private float[] CompileAndRun()
    {
        var source = Path.Combine(_dir, "kernels.cpp");
        var exe = Path.Combine(_dir, "kernels");
        File.WriteAllText(source, Stubs + KernelSource.Code + Main);
        var (code, output) = Execute(HostCompilerFactAttribute.Compiler!, $"-O1 -ffp-contract=off -w -o {exe} {source}");
        Assert.True(code == 0, "host compile of the kernel source failed:\n" + output);
        (code, output) = Execute(exe, "");
        Assert.Equal(0, code);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => BitConverter.UInt32BitsToSingle(uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToArray();
    }

    internal static (int Code, string Output) Execute(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
