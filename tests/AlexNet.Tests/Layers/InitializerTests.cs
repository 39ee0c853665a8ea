using AlexNet.Autograd;
using AlexNet.Facade;
using AlexNet.Layers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>The weight schemes: the deviation each gives from the layer's fans (against a float64 computation), and the
/// drawn weights' spread.</summary>
public sealed class InitializerTests
{
    /// <summary>Conv fans are C·k² and Out·k², dense fans in- and out-features; He is √(2/fan-in), Glorot
    /// √(2/(fan-in + fan-out)), Gaussian the layer's own deviation.</summary>
    [Property(MaxTest = 60)]
    public Property DeviationsFollowTheFans(PositiveInt channels, PositiveInt outputs, PositiveInt kernelSeed, PositiveInt features)
    {
        int c = channels.Get % 64 + 1, o = outputs.Get % 64 + 1, k = kernelSeed.Get % 5 + 1, f = features.Get % 500 + 1;
        var input = new Shape(c, k + 4, k + 4);
        double convIn = c * k * k, convOut = o * k * k;
        float Std(Layer layer, Shape shape) => layer.ParameterSpecs(shape)[0].Std;
        bool Close(float actual, double expected) => Math.Abs(actual - expected) <= 1e-7 * expected;
        return (Close(Std(new Conv("c", o, k, Initializer: Initializer.He), input), Math.Sqrt(2 / convIn))
                && Close(Std(new Conv("c", o, k, Initializer: Initializer.Glorot), input), Math.Sqrt(2 / (convIn + convOut)))
                && Std(new Conv("c", o, k, WeightStd: 0.05f), input) == 0.05f
                && Close(Std(new Dense("d", o, Initializer: Initializer.He), new Shape(f)), Math.Sqrt(2.0 / f))
                && Close(Std(new Dense("d", o, Initializer: Initializer.Glorot), new Shape(f)), Math.Sqrt(2.0 / (f + o)))).ToProperty();
    }

    /// <summary>The drawn weights have mean 0 and the scheme's deviation (within the sampling error of 36,864 draws),
    /// and the biases are the constant.</summary>
    [Fact]
    public void DrawnWeightsHaveTheSchemesSpread()
    {
        var net = Network.Create(new Shape(64, 8, 8), [new Conv("c", 64, 3, 1, 1, BiasInit: 0.5f, Initializer: Initializer.He)]);
        var p = net.Init(RandomKey.FromSeed(7));
        var w = p["c.weight"].ToArray();
        double mean = w.Average(v => (double)v), std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        double expected = Math.Sqrt(2.0 / (64 * 9));
        Assert.InRange(mean, -4 * expected / Math.Sqrt(w.Length), 4 * expected / Math.Sqrt(w.Length));
        Assert.InRange(std / expected, 0.98, 1.02);
        Assert.All(p["c.bias"].ToArray(), b => Assert.Equal(0.5f, b));
        p.DisposeAll();
    }

    /// <summary>The fluent API initialises He unless a deviation is given; presets keep the paper's.</summary>
    [Fact]
    public void FluentDefaultsToHeAndPresetsKeepThePapers()
    {
        var net = Net.Input(1, 28, 28).Conv("c", 8, 3).Conv("d", 8, 3, weightStd: 0.02f).Conv("e", 8, 3, initializer: Initializer.Glorot).Build();
        Assert.Equal([Initializer.He, Initializer.Gaussian, Initializer.Glorot], net.Layers.OfType<Conv>().Select(c => c.Initializer));
        Assert.Equal(0.02f, net.ParameterSpecs.Single(s => s.Name == "d.weight").Std);
        Assert.All(Presets.AlexNet().Lower().Layers.Select(l => l.Layer).OfType<Conv>(), c => Assert.Equal((Initializer.Gaussian, 0.01f), (c.Initializer, c.WeightStd)));
    }
}
