using AlexNet.Autograd;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>Class probabilities and top-k labels.</summary>
public sealed class InferenceTests
{
    [Fact]
    public void ProbabilitiesAreTheSoftmaxOfTheEvalLogitsWithoutDropout()
    {
        var net = LayerTestData.TinyAlexNet();
        var p = net.Init(RandomKey.FromSeed(1)).Map((_, t) => t * 30f);  // large enough weights for uneven probabilities
        using var x = LayerTestData.Input(net, 3, seed: 2);
        using var probabilities = Inference.PredictProbabilities(net, p, x);
        using var again = Inference.PredictProbabilities(net, p, x);
        Assert.Equal(new Shape(3, 10), probabilities.Shape);
        var v = probabilities.ToArray();
        for (int r = 0; r < 3; r++) Assert.Equal(1.0, v.Skip(10 * r).Take(10).Sum(e => (double)e), 5);
        Assert.Equal(v, again.ToArray());

        using var logits = net.Apply(p, x, Mode.Eval, RandomKey.FromSeed(99));
        using var softmax = Ops.Softmax(logits);
        Assert.Equal(softmax.ToArray(), v);
        using var train = net.Apply(p, x, Mode.Train, RandomKey.FromSeed(99));
        Assert.NotEqual(logits.ToArray(), train.ToArray());
    }

    [Fact]
    public void TopKListsTheMostProbableClassesFirstWithTiesToTheLowerIndex()
    {
        using var scores = Tensor.FromArray([0.1f, 0.5f, 0.2f, 0.2f, 0.4f, 0.3f, 0.2f, 0.1f], new Shape(2, 4));
        var top = Inference.TopK(scores, 3);
        Assert.Equal([1, 2, 3], top[0]);
        Assert.Equal([0, 1, 2], top[1]);
        Assert.Equal([1, 0], Inference.ArgMax(scores));
        Assert.Throws<ArgumentException>(() => Inference.TopK(scores, 0));
        Assert.Throws<ArgumentException>(() => Inference.TopK(scores, 5));
        using var flat = Tensor.Zeros(new Shape(4));
        Assert.Throws<ArgumentException>(() => Inference.TopK(flat, 1));
    }
}
