using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class EvaluatorTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteOutputsNeverCountAsCorrect(float bad)
    {
        // NaN compares false with everything, so a ranking by "how many classes score higher" called every NaN row right.
        var data = TinyProblem.Data(12, seed: 3);
        var options = TinyProblem.Options(epochs: 1);
        var transform = TinyProblem.Transform(options, data);
        var weights = TinyProblem.Init(RandomKey.FromSeed(5));
        var broken = weights.SetItem("fc.weight", Tensor.FromArray([.. Enumerable.Repeat(bad, TinyProblem.Classes * TinyProblem.Size * TinyProblem.Size)],
                                                                   new Shape(TinyProblem.Classes, TinyProblem.Size * TinyProblem.Size)));
        var r = Evaluator.Evaluate(TinyProblem.Model, broken, data, transform, tenCrop: false, batchSize: 5, CpuBackend.Default);
        Assert.Equal(12, r.NonFiniteCount);
        Assert.Equal(1.0, r.Top1Error);
        Assert.Equal(1.0, r.Top5Error);
        Assert.Equal(0.0, r.Accuracy);
        Assert.True(double.IsNaN(r.Loss));

        var fine = Evaluator.Evaluate(TinyProblem.Model, weights, data, transform, tenCrop: false, batchSize: 5, CpuBackend.Default);
        Assert.Equal(0, fine.NonFiniteCount);
        Assert.True(double.IsFinite(fine.Loss));
    }

    [Fact]
    public void AllFiniteFindsNaNAndInfinities()
    {
        Assert.True(Evaluator.AllFinite([0f, -1f, float.MaxValue]));
        Assert.False(Evaluator.AllFinite([0f, float.NaN]));
        Assert.False(Evaluator.AllFinite([float.NegativeInfinity]));
    }
}
