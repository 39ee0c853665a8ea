using AlexNet.Autograd;
using AlexNet.Distributed;
using Xunit;

namespace AlexNet.Tests.Distributed;

/// <summary>The bucketed average, against a stand-in for a second rank whose gradients are all ones.</summary>
public sealed class GradientAveragerTests
{
    [Fact]
    public void BucketsPackEveryTensorInOrderAndTheMeanComesBackToEachName()
    {
        // Two tensors larger than half a bucket force a second bucket; small ones around them share buckets.
        int big = GradientAverager.BucketElements / 2 + 3;
        var shapes = new (string Name, Shape Shape)[]
        {
            ("conv1.bias", new Shape(5)),
            ("fc6.weight", new Shape(big)),
            ("fc6.bias", new Shape(7)),
            ("fc7.weight", new Shape(big)),
            ("fc8.bias", new Shape(3)),
        };
        var gradients = TensorMap.Empty;
        for (int t = 0; t < shapes.Length; t++)
        {
            var values = new float[shapes[t].Shape.Count];
            for (int i = 0; i < values.Length; i++) values[i] = t * 10 + i % 97;
            gradients = gradients.Add(shapes[t].Name, Tensor.FromArray(values, shapes[t].Shape));
        }
        var partner = new OnesPartner();
        var mean = GradientAverager.Average(partner, gradients);
        Assert.Equal(shapes.Select(s => s.Name), mean.Keys);
        Assert.True(partner.Calls >= 2, $"{partner.Calls} collective call(s) for {gradients.ElementCount} elements");
        Assert.Equal(gradients.ElementCount, partner.Elements);
        foreach (var (name, g) in gradients)
        {
            var expected = g.ToArray().Select(v => (v + 1f) / 2f).ToArray();
            Assert.Equal(g.Shape, mean[name].Shape);
            Assert.Equal(expected, mean[name].ToArray());
        }
        mean.DisposeAll();
        gradients.DisposeAll();
    }

    /// <summary>Rank 0 of two, where rank 1's every value is 1: a sum adds one to each element.</summary>
    private sealed class OnesPartner : ICommunicator
    {
        public int Calls { get; private set; }
        public long Elements { get; private set; }
        public int Rank => 0;
        public int Size => 2;
        public string Description => "rank 0 of two, rank 1 all ones (test double)";

        public void AllReduceSum(Span<float> values)
        {
            Calls++;
            Elements += values.Length;
            for (int i = 0; i < values.Length; i++) values[i] += 1f;
        }

        public void Broadcast(Tensor tensor, int root) => throw new InvalidOperationException("not expected");
        public void AllReduceSumInPlace(Tensor tensor) => throw new InvalidOperationException("not expected");
        public Tensor AllReduceSum(Tensor tensor) => throw new InvalidOperationException("not expected");
        public void Broadcast(Span<byte> buffer, int root) => throw new InvalidOperationException("not expected");
        public void AllReduceSum(Span<double> values) => throw new InvalidOperationException("not expected");
        public void Barrier() => throw new InvalidOperationException("not expected");
        public void AbortJob(int exitCode) => throw new InvalidOperationException("not expected");
        public void Dispose() { }
    }
}
