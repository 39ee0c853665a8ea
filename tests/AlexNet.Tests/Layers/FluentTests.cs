using AlexNet.Autograd;
using AlexNet.Facade;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>The fluent builder produces exactly the layer records of AlexNet.Layers.</summary>
public sealed class FluentTests
{
    [Fact]
    public void TheFluentPaperNetEqualsThePreset()
    {
        var net = Net.Input(3, 227, 227)
            .Towers(2, t => t.Conv("conv1", 48, 11, stride: 4, weightStd: 0.01f).Relu("relu1").Lrn(name: "lrn1").MaxPool(name: "pool1")
                             .Conv("conv2", 128, 5, pad: 2, weightStd: 0.01f, biasInit: 1f).Relu("relu2").Lrn(name: "lrn2").MaxPool(name: "pool2"), "towers1")
            .Towers(2, t => t.Conv("conv3", 192, 3, pad: 1, weightStd: 0.01f).Relu("relu3")
                             .Conv("conv4", 192, 3, pad: 1, weightStd: 0.01f, biasInit: 1f).Relu("relu4")
                             .Conv("conv5", 128, 3, pad: 1, weightStd: 0.01f, biasInit: 1f).Relu("relu5").MaxPool(name: "pool5").Flatten("flatten"), "towers2")
            .Towers(2, t => t.Dense("fc6", 2048, weightStd: 0.01f, biasInit: 1f).Relu("relu6").Dropout(0.5f, "drop6"), "towers3")
            .Towers(2, t => t.Dense("fc7", 2048, weightStd: 0.01f, biasInit: 1f).Relu("relu7").Dropout(0.5f, "drop7"), "towers4")
            .Dense("fc8", 1000, weightStd: 0.01f).Softmax("prob")
            .Build();
        Assert.Equal(Presets.AlexNet(), net);
        Assert.Equal(60_965_224, net.ParameterCount);
    }

    [Fact]
    public void AutomaticNamesAreUniqueAcrossBlocks()
    {
        var net = Net.Input(1, 8, 8)
            .Conv("c1", 4, 3).Relu().Lrn()
            .Towers(2, t => t.Conv("c2", 2, 3, pad: 1).Relu().MaxPool())
            .Flatten().Dense("fc", 3).Dropout().Softmax()
            .Build();
        var names = net.Summary().Rows.Select(r => r.Name).ToArray();
        Assert.Equal(["c1", "relu1", "lrn1", "towers1", "c2", "relu2", "pool1", "flatten1", "fc", "drop1", "softmax1"], names);
        Assert.Equal(new Relu("relu1"), net.Layers[1]);
        Assert.Equal(new Towers("towers1", 2, new Conv("c2", 2, 3, 1, 1, Initializer: Initializer.He), new Relu("relu2"), new MaxPool("pool1")), net.Layers[3]);
    }

    [Fact]
    public void BuildersAreImmutableAndValidateAtBuild()
    {
        var start = Net.Input(16).Dense("a", 8);
        var one = start.Relu();
        var two = start.Dropout(0.1f);
        Assert.Single(start.Layers);
        Assert.IsType<Relu>(one.Layers[1]);
        Assert.IsType<Dropout>(two.Layers[1]);
        Assert.Equal(new Shape(8), one.Build().OutputShape);
        var e = Assert.Throws<ArgumentException>(() => Net.Input(1, 8, 8).Dense("fc", 3).Build());
        Assert.Contains("'fc' (Dense)", e.Message);
        Assert.Throws<ArgumentException>(() => Net.Input(0, 8, 8));
    }

    /// <summary>The fluent average poolings build the records, and the torchvision network written fluently equals the
    /// preset.</summary>
    [Fact]
    public void AveragePoolingsBuildTheirRecords()
    {
        var fluent = Net.Input(3, 224, 224)
            .Conv("conv1", 64, 11, stride: 4, pad: 2).Relu().MaxPool()
            .Conv("conv2", 192, 5, pad: 2).Relu().MaxPool()
            .Conv("conv3", 384, 3, pad: 1).Relu().Conv("conv4", 256, 3, pad: 1).Relu().Conv("conv5", 256, 3, pad: 1).Relu().MaxPool()
            .AdaptiveAvgPool(6, 6).Flatten().Dropout().Dense("fc6", 4096).Relu().Dropout().Dense("fc7", 4096).Relu().Dense("fc8", 1000).Softmax()
            .Build();
        var preset = Presets.TorchvisionAlexNet();
        Assert.Equal(preset.ParameterCount, fluent.ParameterCount);
        Assert.Equal(preset.Lower().Steps.Select(s => s with { Layer = "" }), fluent.Lower().Steps.Select(s => s with { Layer = "" }));
        var pooled = Net.Input(2, 8, 8).AvgPool(3, 2, 1, "a").Build();
        Assert.Equal(new AvgPool("a", 3, 2, 1), pooled.Layers[0]);
    }
}
