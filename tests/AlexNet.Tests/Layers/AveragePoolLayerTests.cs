using AlexNet.Autograd;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>The AvgPool and AdaptiveAvgPool layer records: shapes, setting errors naming the layer, and towers.</summary>
public sealed class AveragePoolLayerTests
{
    [Theory]
    [InlineData(2, 2, 0, 8, 4)]
    [InlineData(3, 2, 1, 13, 7)]
    [InlineData(3, 1, 1, 5, 5)]
    public void AvgPoolHasPoolingsOutputSize(int kernel, int stride, int pad, int size, int expected) =>
        Assert.Equal(new Shape(4, expected, expected), new AvgPool("p", kernel, stride, pad).OutputShape(new Shape(4, size, size)));

    [Theory]
    [InlineData(13)]
    [InlineData(6)]
    [InlineData(1)]
    public void AdaptiveAvgPoolGivesItsSizeForAnyInput(int size) =>
        Assert.Equal(new Shape(5, 6, 6), new AdaptiveAvgPool("avgpool").OutputShape(new Shape(5, size, size)));

    [Fact]
    public void BadSettingsAndInputsNameTheLayer()
    {
        Assert.Contains("'p' (AvgPool): Pad must be in [0, Kernel/2]", Assert.Throws<ArgumentException>(() => new AvgPool("p", 2, 2, 2).OutputShape(new Shape(1, 8, 8))).Message);
        Assert.Contains("'p' (AvgPool) cannot take input [1, 2, 2]", Assert.Throws<ArgumentException>(() => new AvgPool("p", 3, 1).OutputShape(new Shape(1, 2, 2))).Message);
        Assert.Contains("'a' (AdaptiveAvgPool): the output size must be at least 1×1", Assert.Throws<ArgumentException>(() => new AdaptiveAvgPool("a", 0, 6).OutputShape(new Shape(1, 8, 8))).Message);
        Assert.Contains("'a' (AdaptiveAvgPool) cannot take input [8]", Assert.Throws<ArgumentException>(() => new AdaptiveAvgPool("a").OutputShape(new Shape(8))).Message);
    }

    [Fact]
    public void InsideTowersThePoolsActOnEachTowersChannelsAlone()
    {
        // Pooling is per channel, so the fused stacked pass equals the network without towers on the same weights.
        Layer[] body = [new Conv("c", 3, 3, Pad: 1, WeightStd: 1f), new AvgPool("p", 3, 2, 1), new AdaptiveAvgPool("a", 3, 2)];
        var towered = Network.Create(new Shape(2, 7, 7), [new Towers("t", 2, body)]);
        var plain = Network.Create(new Shape(2, 7, 7), [new Conv("c", 6, 3, Pad: 1, WeightStd: 1f), new AvgPool("p", 3, 2, 1), new AdaptiveAvgPool("a", 3, 2)]);
        var p = towered.Init(RandomKey.FromSeed(5));
        using var x = Tensor.Normal(RandomKey.FromSeed(6), new Shape(2, 2, 7, 7));
        using var y = towered.Apply(p, x, Mode.Eval, RandomKey.FromSeed(0));
        Assert.Equal(new Shape(2, 6, 3, 2), y.Shape);
        // Each tower's conv reads all input channels here (a first block), so the towers are one ordinary convolution.
        using var z = plain.Apply(p, x, Mode.Eval, RandomKey.FromSeed(0));
        Assert.Equal(z.ToArray(), y.ToArray());
        p.DisposeAll();
    }
}
