using AlexNet.Autograd;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Zero-sized axes are legal shapes: slicing, concatenating and reducing them behave as the formulas say.</summary>
public sealed class EmptyTensorTests
{
    [Fact]
    public void EmptySliceConcatAndSum()
    {
        using var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3));
        var (value, g) = Autodiff.ValueAndGrad(p =>
        {
            var empty = Ops.Slice(p["x"], 1, 3, 0);
            Assert.Equal(new Shape(2, 0), empty.Shape);
            var joined = Ops.Concat([empty, p["x"], empty], 1);
            Assert.Equal(new Shape(2, 3), joined.Shape);
            var emptySum = Ops.Sum(empty, [1]);
            Assert.Equal([0f, 0f], emptySum.ToArray());
            return Ops.Sum(joined * 2f) + Ops.Sum(emptySum);
        }, TensorMap.Empty.Add("x", x));
        Assert.Equal(42f, value.Item());
        Assert.Equal(Enumerable.Repeat(2f, 6), g["x"].ToArray());
        value.Dispose();
        g.DisposeAll();
    }
}
