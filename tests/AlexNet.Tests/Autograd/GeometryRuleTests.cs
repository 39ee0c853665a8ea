using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;
using static AlexNet.Tests.Autograd.GeometryRules;

namespace AlexNet.Tests.Autograd;

/// <summary>
/// One rule per geometry: the geometry types say what is valid (<c>FindProblem</c>), and <c>Ops</c> and every CPU kernel
/// entry refuse exactly those geometries, naming the problem. (The CUDA entries: <c>Gpu/CudaGeometryRuleTests</c>.)
/// </summary>
public sealed class GeometryRuleTests
{
    public static TheoryData<int> BadConvolutionCases => Indices(BadConvolutions.Length);
    public static TheoryData<int> BadPoolingCases => Indices(BadPoolings.Length);
    public static TheoryData<int> BadLrnCases => Indices(BadLrns.Length);

    [Theory]
    [MemberData(nameof(BadConvolutionCases))]
    public void EveryConvolutionEntryRefusesWhatTheRuleRefuses(int index)
    {
        var (g, fragment) = BadConvolutions[index];
        Assert.Contains(fragment, g.FindProblem());
        Refuses(g.Validate, fragment, "Validate");
        using IBackend cpu = new CpuBackend(1);
        using var b = cpu.Allocate(1);
        foreach (var (entry, call) in ConvEntries(cpu, g, b)) Refuses(call, fragment, entry);
        if (Square(g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.PadHeight, g.PadWidth) && Constructible(g.Batch, g.InChannels, g.InHeight, g.InWidth, g.OutChannels, g.KernelHeight) && fragment != "elements")
        {
            int perGroup = g.Groups >= 1 && g.InChannels % g.Groups == 0 ? g.InChannels / g.Groups : g.InChannels;
            using var x = Tensor.Zeros(new Shape(g.Batch, g.InChannels, g.InHeight, g.InWidth));
            using var w = Tensor.Zeros(new Shape(g.OutChannels, perGroup, g.KernelHeight, g.KernelWidth));
            Refuses(() => Ops.Conv2d(x, w, stride: g.StrideHeight, padding: g.PadHeight, groups: g.Groups), fragment, "Ops.Conv2d");
        }
    }

    [Theory]
    [MemberData(nameof(BadPoolingCases))]
    public void EveryPoolingEntryRefusesWhatTheRuleRefuses(int index)
    {
        var (g, fragment) = BadPoolings[index];
        Assert.Contains(fragment, g.FindProblem());
        Refuses(g.Validate, fragment, "Validate");
        using IBackend cpu = new CpuBackend(1);
        using var b = cpu.Allocate(1);
        foreach (var (entry, call) in PoolEntries(cpu, g, b)) Refuses(call, fragment, entry);
        if (Square(g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.PadHeight, g.PadWidth) && Constructible(g.Batch, g.Channels, g.InHeight, g.InWidth) && fragment != "elements")
        {
            using var x = Tensor.Zeros(new Shape(g.Batch, g.Channels, g.InHeight, g.InWidth));
            Refuses(() => Ops.MaxPool2d(x, g.KernelHeight, g.StrideHeight, g.PadHeight), fragment, "Ops.MaxPool2d");
        }
    }

    [Theory]
    [MemberData(nameof(BadLrnCases))]
    public void EveryLrnEntryRefusesWhatTheRuleRefuses(int index)
    {
        var (g, fragment) = BadLrns[index];
        Assert.Contains(fragment, g.FindProblem());
        Refuses(g.Validate, fragment, "Validate");
        using IBackend cpu = new CpuBackend(1);
        using var b = cpu.Allocate(1);
        foreach (var (entry, call) in LrnEntries(cpu, g, b)) Refuses(call, fragment, entry);
        foreach (var width in new[] { LaneWidth.V128, LaneWidth.V256, LaneWidth.V512 })
        {
            Refuses(() => ((CpuBackend)cpu).LrnForward(b, b, g, width), fragment, $"LrnForward at {width}");
            Refuses(() => ((CpuBackend)cpu).LrnBackward(b, b, b, b, g, width), fragment, $"LrnBackward at {width}");
        }
        if (Constructible(g.Batch, g.Channels, g.Height, g.Width) && fragment != "elements")
        {
            using var x = Tensor.Zeros(new Shape(g.Batch, g.Channels, g.Height, g.Width));
            Refuses(() => Ops.Lrn(x, g.Size, g.Alpha, g.Beta, g.K), fragment, "Ops.Lrn");
        }
    }

    /// <summary>The edges the rules accept run through Ops, forward and backward, on the CPU; an empty batch gives an
    /// empty result and zero weight and bias gradients.</summary>
    [Fact]
    public void TheEdgesTheRulesAcceptRunThroughOps()
    {
        foreach (var g in EdgeConvolutions)
        {
            Assert.Null(g.FindProblem());
            var x = Tensor.Normal(RandomKey.FromSeed(1), new Shape(g.Batch, g.InChannels, g.InHeight, g.InWidth));
            var parameters = TensorMap.Empty
                .Add("w", Tensor.Normal(RandomKey.FromSeed(2), new Shape(g.OutChannels, g.InChannelsPerGroup, g.KernelHeight, g.KernelWidth)))
                .Add("b", Tensor.Ones(new Shape(g.OutChannels)));
            var (value, grads) = Autodiff.ValueAndGrad(p => Ops.Sum(Ops.Conv2d(x, p["w"], p["b"], g.StrideHeight, g.PadHeight, g.Groups)), parameters);
            using (value) Assert.True(float.IsFinite(value.Item()), $"{g}");
            if (g.Batch == 0)
            {
                Assert.All(grads["w"].ToArray(), v => Assert.Equal(0f, v));
                Assert.All(grads["b"].ToArray(), v => Assert.Equal(0f, v));
            }
            grads.DisposeAll();
        }
        foreach (var g in EdgePoolings)
        {
            Assert.Null(g.FindProblem());
            var parameters = TensorMap.Empty.Add("x", Tensor.Normal(RandomKey.FromSeed(3), new Shape(g.Batch, g.Channels, g.InHeight, g.InWidth)));
            var (value, grads) = Autodiff.ValueAndGrad(p =>
            {
                var y = Ops.MaxPool2d(p["x"], g.KernelHeight, g.StrideHeight, g.PadHeight);
                Assert.Equal(new Shape(g.Batch, g.Channels, g.OutHeight, g.OutWidth), y.Shape);
                Assert.All(y.ToArray(), v => Assert.True(float.IsFinite(v), $"{g}: a window held only padding"));
                return Ops.Sum(y);
            }, parameters);
            value.Dispose();
            grads.DisposeAll();
        }
        foreach (var g in EdgeLrns)
        {
            Assert.Null(g.FindProblem());
            var parameters = TensorMap.Empty.Add("x", Tensor.Normal(RandomKey.FromSeed(4), new Shape(g.Batch, g.Channels, g.Height, g.Width)));
            var (value, grads) = Autodiff.ValueAndGrad(p => Ops.Sum(Ops.Lrn(p["x"], g.Size, g.Alpha, g.Beta, g.K)), parameters);
            value.Dispose();
            grads.DisposeAll();
        }
    }

    /// <summary>A geometry that breaks its rule prints without throwing (its derived sizes would divide by zero).</summary>
    [Fact]
    public void MessagesDescribeGeometriesWhoseSizesCannotBeComputed()
    {
        var conv = new ConvGeometry(1, 3, 5, 5, 4, 3, 3, 0, 0, 0, 0, 0);
        Assert.Contains("StrideHeight = 0", conv.ToString());
        Assert.Contains("Groups = 0", Assert.Throws<ArgumentException>(conv.Validate).Message);
        var pool = new PoolGeometry(1, 1, 5, 5, 3, 3, 0, 0, 0, 0);
        Assert.Contains("StrideWidth = 0", Assert.Throws<ArgumentException>(pool.Validate).Message);
    }

    private static bool Square(int kh, int kw, int sh, int sw, int ph, int pw) => kh == kw && sh == sw && ph == pw;

    private static bool Constructible(params int[] dims) => dims.All(d => d >= 0);
}
