using System.Globalization;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Kernels;
using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>
/// Without a GPU: the adaptive average-pooling kernels of the CUDA source, compiled as host C++ (see
/// <see cref="HostEmulatedKernelTests"/>), give the CPU backend's bits forward and backward, for downsampling with
/// overlapping windows, the identity and upsampling (torchvision's AlexNet pools 1×1 maps to 6×6 at 64×64 input).
/// </summary>
public sealed class HostEmulatedAdaptivePoolTests : IDisposable
{
    private static readonly AdaptivePoolGeometry[] Geometries =
    [
        new(2, 4, 13, 13, 6, 6),
        new(1, 3, 6, 6, 6, 6),
        new(2, 5, 1, 1, 6, 6),
        new(1, 3, 3, 5, 7, 2),
        new(1, 2, 10, 7, 3, 4),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("alexnet-adaptive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [HostCompilerFact]
    public void AdaptiveKernelsMatchTheCpuBackendBitForBit()
    {
        var main = new System.Text.StringBuilder("\nint main() {\n");
        foreach (var g in Geometries)
        {
            main.Append(CultureInfo.InvariantCulture, $$"""
                  {
                    const int ni = {{g.InputCount}}, no = {{g.OutputCount}};
                    static float x[ni], y[no], dy[no], dx[ni];
                    for (int i = 0; i < ni; i++) x[i] = (float)std::sin(i * 0.37 + 0.1);
                    for (int i = 0; i < no; i++) dy[i] = (float)std::cos(i * 0.11);
                    k_adaptive_avg_forward(x, y, no, {{g.InHeight}}, {{g.InWidth}}, {{g.OutHeight}}, {{g.OutWidth}});
                    k_adaptive_avg_backward(dy, dx, ni, {{g.InHeight}}, {{g.InWidth}}, {{g.OutHeight}}, {{g.OutWidth}});
                    dump(y, no); dump(dx, ni);
                  }

                """);
        }
        main.Append("  return 0;\n}\n");
        var values = CompileAndRun(main.ToString());

        using IBackend cpu = new CpuBackend();
        int at = 0;
        foreach (var g in Geometries)
        {
            // The same inputs as the C++ above: float32 of the double sin/cos, which both libraries round correctly here.
            var x = Enumerable.Range(0, g.InputCount).Select(i => (float)Math.Sin(i * 0.37 + 0.1)).ToArray();
            var dy = Enumerable.Range(0, g.OutputCount).Select(i => (float)Math.Cos(i * 0.11)).ToArray();
            using var bx = cpu.Upload(x);
            using var bdy = cpu.Upload(dy);
            using var by = cpu.Allocate(g.OutputCount);
            using var bdx = cpu.Allocate(g.InputCount);
            cpu.AdaptiveAvgPool2dForward(bx, by, g);
            cpu.AdaptiveAvgPool2dBackward(bdy, bdx, g);
            var y = new float[g.OutputCount];
            var dx = new float[g.InputCount];
            cpu.Download(by, y);
            cpu.Download(bdx, dx);
            Assert.Equal(y, values.Skip(at).Take(g.OutputCount).ToArray());
            at += g.OutputCount;
            Assert.Equal(dx, values.Skip(at).Take(g.InputCount).ToArray());
            at += g.InputCount;
        }
        Assert.Equal(values.Length, at);
    }

    private float[] CompileAndRun(string main)
    {
        var source = Path.Combine(_dir, "kernels.cpp");
        var exe = Path.Combine(_dir, "kernels");
        File.WriteAllText(source, HostEmulatedKernelTests.Stubs + "using std::sin;\n" + KernelSource.Code + main);
        var (code, output) = HostEmulatedKernelTests.Execute(HostCompilerFactAttribute.Compiler!, $"-O1 -ffp-contract=off -w -o {exe} {source}");
        Assert.True(code == 0, "host compile of the kernel source failed:\n" + output);
        (code, output) = HostEmulatedKernelTests.Execute(exe, "");
        Assert.Equal(0, code);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => BitConverter.UInt32BitsToSingle(uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToArray();
    }
}
