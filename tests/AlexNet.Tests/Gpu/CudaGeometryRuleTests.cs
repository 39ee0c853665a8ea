using AlexNet.Autograd.Kernels;
using AlexNet.Tests.Autograd;
using Xunit;
using static AlexNet.Tests.Autograd.GeometryRules;

namespace AlexNet.Tests.Gpu;

/// <summary>Every CUDA kernel entry refuses exactly the geometries the geometry types' rules refuse (the same cases as
/// <see cref="GeometryRuleTests"/> for Ops and the CPU), and runs the edges the rules accept.</summary>
public sealed class CudaGeometryRuleTests(CudaFixture fixture) : IClassFixture<CudaFixture>
{
    public static TheoryData<int> BadConvolutionCases => Indices(BadConvolutions.Length);
    public static TheoryData<int> BadPoolingCases => Indices(BadPoolings.Length);
    public static TheoryData<int> BadLrnCases => Indices(BadLrns.Length);

    [GpuTheory]
    [MemberData(nameof(BadConvolutionCases))]
    public void EveryConvolutionEntryRefusesWhatTheRuleRefuses(int index)
    {
        var (g, fragment) = BadConvolutions[index];
        using var b = ((IBackend)fixture.Cuda).Allocate(1);
        foreach (var (entry, call) in ConvEntries(fixture.Cuda, g, b)) Refuses(call, fragment, entry);
    }

    [GpuTheory]
    [MemberData(nameof(BadPoolingCases))]
    public void EveryPoolingEntryRefusesWhatTheRuleRefuses(int index)
    {
        var (g, fragment) = BadPoolings[index];
        using var b = ((IBackend)fixture.Cuda).Allocate(1);
        foreach (var (entry, call) in PoolEntries(fixture.Cuda, g, b)) Refuses(call, fragment, entry);
    }

    [GpuTheory]
    [MemberData(nameof(BadLrnCases))]
    public void EveryLrnEntryRefusesWhatTheRuleRefuses(int index)
    {
        var (g, fragment) = BadLrns[index];
        using var b = ((IBackend)fixture.Cuda).Allocate(1);
        foreach (var (entry, call) in LrnEntries(fixture.Cuda, g, b)) Refuses(call, fragment, entry);
    }

    /// <summary>The accepted edges run on the device (an empty batch included: cuDNN refuses a batch of 0, so the backend
    /// must not call it) and give the CPU's results.</summary>
    [GpuFact]
    public void TheEdgesTheRulesAcceptRunOnTheDevice()
    {
        var cuda = fixture.Cuda;
        var cpu = fixture.Cpu;
        foreach (var g in EdgeConvolutions)
        {
            var x = Data(g.InputCount, 1);
            var w = Data(g.WeightCount, 2);
            var dy = Data(g.OutputCount, 3);
            float[] Run(AlexNet.Autograd.Kernels.IBackend backend)
            {
                using var bx = backend.Upload(x);
                using var bw = backend.Upload(w);
                using var bdy = backend.Upload(dy);
                using var by = backend.Allocate(g.OutputCount);
                using var bdx = backend.Allocate(g.InputCount);
                using var bdw = backend.Upload(Enumerable.Repeat(float.NaN, g.WeightCount).ToArray());
                using var bdb = backend.Upload(Enumerable.Repeat(float.NaN, g.OutChannels).ToArray());
                backend.Conv2dForward(bx, bw, null, by, g);
                backend.Conv2dBackwardData(bdy, bw, bdx, g);
                backend.Conv2dBackwardFilter(bx, bdy, bdw, g);
                backend.Conv2dBackwardBias(bdy, bdb, g);
                return [.. Read(backend, by, g.OutputCount), .. Read(backend, bdx, g.InputCount), .. Read(backend, bdw, g.WeightCount), .. Read(backend, bdb, g.OutChannels)];
            }
            AssertClose(Run(cpu), Run(cuda), $"{g}");
        }
        foreach (var g in EdgePoolings)
        {
            var x = Data(g.InputCount, 4);
            var dy = Data(g.OutputCount, 5);
            float[] Run(AlexNet.Autograd.Kernels.IBackend backend)
            {
                using var bx = backend.Upload(x);
                using var by = backend.Allocate(g.OutputCount);
                using var bdy = backend.Upload(dy);
                using var bdx = backend.Allocate(g.InputCount);
                backend.MaxPool2dForward(bx, by, g);
                backend.MaxPool2dBackward(bx, by, bdy, bdx, g);
                return [.. Read(backend, by, g.OutputCount), .. Read(backend, bdx, g.InputCount)];
            }
            AssertClose(Run(cpu), Run(cuda), $"{g}");
        }
        foreach (var g in EdgeLrns)
        {
            var x = Data(g.Count, 6);
            var dy = Data(g.Count, 7);
            float[] Run(AlexNet.Autograd.Kernels.IBackend backend)
            {
                using var bx = backend.Upload(x);
                using var by = backend.Allocate(g.Count);
                using var bdy = backend.Upload(dy);
                using var bdx = backend.Allocate(g.Count);
                backend.LrnForward(bx, by, g);
                backend.LrnBackward(bx, by, bdy, bdx, g);
                return [.. Read(backend, by, g.Count), .. Read(backend, bdx, g.Count)];
            }
            AssertClose(Run(cpu), Run(cuda), $"{g}");
        }
    }

    private static float[] Data(int count, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
    }

    private static float[] Read(AlexNet.Autograd.Kernels.IBackend backend, AlexNet.Autograd.Kernels.DeviceBuffer buffer, int count)
    {
        var values = new float[count];
        backend.Download(buffer, values);
        return values;
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }
}
