using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>A decorator built on <see cref="DelegatingBackend"/> runs everything on its inner backend, owns its buffers,
/// and sees only what it overrides.</summary>
public sealed class DelegatingBackendTests
{
    /// <summary>Counts the kernels it overrides (GEMM and convolution forward), forwards everything else untouched.</summary>
    private sealed class CountingKernels() : DelegatingBackend(new CpuBackend(threads: 1), "counted")
    {
        public int Gemms { get; private set; }

        public int Convolutions { get; private set; }

        public override void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c)
        {
            Gemms++;
            base.Gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
        }

        public override void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g)
        {
            Convolutions++;
            base.Conv2dForward(x, w, bias, y, g);
        }
    }

    [Fact]
    public void ADecoratorTrainsBitForBitAsItsInnerBackendAndSeesItsKernels()
    {
        var net = Network.Create(new Shape(2, 9, 9),
            [new Conv("conv", 4, 3, 1, 1, 0.1f, 0f), new Relu("relu"), new MaxPool("pool", 3, 2), new Lrn("lrn"), new Flatten("flat"), new Dense("fc", 3, 0.1f, 0f)]);
        using var counted = new CountingKernels();
        var (plainLoss, plainGrads) = LossAndGradients(net, new CpuBackend(threads: 1));
        var (countedLoss, countedGrads) = LossAndGradients(net, counted);
        Assert.Equal(plainLoss, countedLoss);
        foreach (var (name, g) in plainGrads) Assert.Equal(g, countedGrads[name]);
        Assert.Equal(1, counted.Convolutions);
        Assert.True(counted.Gemms >= 3, $"{counted.Gemms} GEMMs (the dense layer's forward and two backward)");
        Assert.Equal("counted", counted.Name);
    }

    [Fact]
    public void ABufferOfAnotherDeviceIsRefusedByName()
    {
        using var counted = new CountingKernels();
        using var onCpu = Tensor.FromArray([1f, 2f], new Shape(2));
        using var onCounted = Tensor.FromArray([1f, 2f], new Shape(2), counted);
        var e = Assert.ThrowsAny<ArgumentException>(() => counted.Copy(onCpu.Buffer, onCounted.Buffer, 2));
        Assert.Contains("move it with Ops.To", e.Message);
        using var moved = Ops.To(onCounted, CpuBackend.Default);
        Assert.Equal([1f, 2f], moved.ToArray());
    }

    private static (float Loss, Dictionary<string, float[]> Gradients) LossAndGradients(Network net, IBackend backend)
    {
        using var parameters = net.Init(RandomKey.FromSeed(3), backend);
        using var x = Tensor.Normal(RandomKey.FromSeed(4), new Shape(2, 2, 9, 9), 0f, 1f, backend);
        using var y = Tensor.FromArray([0f, 2f], new Shape(2), backend);
        var (loss, gradients) = Autodiff.ValueAndGrad(p => Ops.SoftmaxCrossEntropy(net.Apply(p, x, Mode.Eval, default), y), parameters);
        using (loss)
        using (gradients)
            return (loss.Item(), gradients.Keys.ToDictionary(k => k, k => gradients[k].ToArray()));
    }
}
