using AlexNet.Autograd;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Every primitive given bad shapes or arguments throws an ArgumentException whose message names the shapes.</summary>
public sealed class BadInputTests
{
    private static Tensor T(params int[] dims) => Tensor.Zeros(new Shape(dims));

    /// <summary>Asserts an ArgumentException (or subclass) whose message contains every fragment.</summary>
    private static void Rejects(Func<object?> call, params string[] fragments)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => call());
        foreach (var f in fragments)
            Assert.True(e.Message.Contains(f, StringComparison.Ordinal), $"Message \"{e.Message}\" does not contain \"{f}\".");
    }

    [Fact]
    public void ElementwiseShapesThatDoNotBroadcast()
    {
        Rejects(() => Ops.Add(T(2, 3), T(4)), "Add", "[2, 3]", "[4]");
        Rejects(() => Ops.Sub(T(2, 3), T(3, 2)), "Sub", "[2, 3]", "[3, 2]");
        Rejects(() => Ops.Mul(T(5, 2, 3), T(2, 2, 3)), "Mul", "[5, 2, 3]", "[2, 2, 3]");
        Rejects(() => Ops.Div(T(2), T(3)), "Div", "[2]", "[3]");
        Rejects(() => T(2, 3) / 0f, "[2, 3]");
    }

    [Fact]
    public void TensorConstructionChecksCountsAndDimensions()
    {
        Rejects(() => Tensor.FromArray([1, 2, 3, 4, 5], new Shape(2, 3)), "[2, 3]");
        Rejects(() => new Shape(2, -1), "[2, -1]");
        Rejects(() => Tensor.Normal(RandomKey.FromSeed(1), new Shape(2), 0f, -1f));
        Rejects(() => Tensor.Uniform(RandomKey.FromSeed(1), new Shape(2), 1f, 0f));
    }

    [Fact]
    public void MatMulAndLinearMismatches()
    {
        Rejects(() => Ops.MatMul(T(2, 3), T(4, 5)), "[2, 3]", "[4, 5]");
        Rejects(() => Ops.MatMul(T(2, 3, 1), T(3, 2)), "[2, 3, 1]", "[3, 2]");
        Rejects(() => Ops.Linear(T(2, 3), T(4, 5)), "[2, 3]", "[4, 5]");
        Rejects(() => Ops.Linear(T(2, 3), T(4, 3), T(3)), "[2, 3]", "[4, 3]", "[3]");
        Rejects(() => Ops.Linear(T(3), T(4, 3)), "[3]", "[4, 3]");
    }

    [Fact]
    public void Conv2dRejectsBadGeometry()
    {
        Rejects(() => Ops.Conv2d(T(3, 5, 5), T(4, 3, 3, 3)), "[3, 5, 5]", "[4, 3, 3, 3]");
        Rejects(() => Ops.Conv2d(T(1, 3, 5, 5), T(4, 3, 3)), "[1, 3, 5, 5]", "[4, 3, 3]");
        Rejects(() => Ops.Conv2d(T(1, 3, 5, 5), T(4, 1, 3, 3), groups: 2), "groups", "[1, 3, 5, 5]", "[4, 1, 3, 3]");
        Rejects(() => Ops.Conv2d(T(1, 4, 5, 5), T(3, 2, 3, 3), groups: 2), "groups", "[1, 4, 5, 5]", "[3, 2, 3, 3]");
        Rejects(() => Ops.Conv2d(T(1, 4, 5, 5), T(4, 3, 3, 3)), "[1, 4, 5, 5]", "[4, 3, 3, 3]");
        Rejects(() => Ops.Conv2d(T(1, 3, 5, 5), T(4, 3, 3, 3), T(3)), "[1, 3, 5, 5]", "[4, 3, 3, 3]", "[3]");
        Rejects(() => Ops.Conv2d(T(1, 3, 5, 5), T(4, 3, 3, 3), stride: 0), "stride", "[1, 3, 5, 5]");
        Rejects(() => Ops.Conv2d(T(1, 3, 5, 5), T(4, 3, 3, 3), padding: -1), "padding", "[1, 3, 5, 5]");
        Rejects(() => Ops.Conv2d(T(1, 3, 5, 5), T(4, 3, 3, 3), groups: 0), "groups", "[1, 3, 5, 5]");
        Rejects(() => Ops.Conv2d(T(1, 3, 2, 2), T(4, 3, 3, 3)), "[1, 3, 2, 2]", "[4, 3, 3, 3]");
        Rejects(() => Ops.Conv2d(T(1, 0, 5, 5), T(4, 0, 3, 3)), "[1, 0, 5, 5]");
        Rejects(() => Ops.Conv2d(T(1, 3, 5, 5), T(4, 3, 0, 3)), "[4, 3, 0, 3]");
    }

    [Fact]
    public void MaxPoolAndLrnRejectBadGeometry()
    {
        Rejects(() => Ops.MaxPool2d(T(3, 5, 5), 3, 2), "[3, 5, 5]");
        Rejects(() => Ops.MaxPool2d(T(1, 3, 5, 5), 0, 2), "[1, 3, 5, 5]");
        Rejects(() => Ops.MaxPool2d(T(1, 3, 5, 5), 3, 0), "[1, 3, 5, 5]");
        Rejects(() => Ops.MaxPool2d(T(1, 3, 5, 5), 3, 2, 2), "padding", "[1, 3, 5, 5]");
        Rejects(() => Ops.MaxPool2d(T(1, 3, 2, 2), 3, 1), "[1, 3, 2, 2]");
        Rejects(() => Ops.Lrn(T(3, 5, 5)), "[3, 5, 5]");
        Rejects(() => Ops.Lrn(T(1, 3, 5, 5), size: 4), "[1, 3, 5, 5]");
        Rejects(() => Ops.Lrn(T(1, 3, 5, 5), size: 0), "[1, 3, 5, 5]");
        Rejects(() => Ops.Lrn(T(1, 3, 5, 5), alpha: -1f), "[1, 3, 5, 5]");
    }

    [Fact]
    public void ReshapePermuteSliceConcatMisuse()
    {
        Rejects(() => Ops.Reshape(T(2, 3), 4, 2), "[2, 3]", "[4, 2]");
        Rejects(() => Ops.Reshape(T(2, 3), -1, -1), "[2, 3]");
        Rejects(() => Ops.Reshape(T(2, 3), 4, -1), "[2, 3]");
        Rejects(() => Ops.Reshape(T(2, 3), 3, -2), "[2, 3]");
        Rejects(() => Ops.Permute(T(2, 3, 4), 0, 0, 1), "[2, 3, 4]");
        Rejects(() => Ops.Permute(T(2, 3, 4), 0, 1), "[2, 3, 4]");
        Rejects(() => Ops.Permute(T(2, 3, 4), 0, 1, 3), "[2, 3, 4]");
        Rejects(() => Ops.Transpose(T(3)), "[3]");
        Rejects(() => Ops.Transpose(T(2, 3), 0, 2), "[2, 3]");
        Rejects(() => Ops.Slice(T(2, 3), 1, 2, 2), "[2, 3]");
        Rejects(() => Ops.Slice(T(2, 3), 0, -1, 1), "[2, 3]");
        Rejects(() => Ops.Slice(T(2, 3), 2, 0, 1), "[2, 3]");
        Rejects(() => Ops.Concat([T(2, 3), T(2, 3, 1)], 0), "[2, 3]", "[2, 3, 1]");
        Rejects(() => Ops.Concat([T(2, 3), T(2, 4)], 0), "[2, 3]", "[2, 4]");
        Rejects(() => Ops.Concat([T(2, 3), T(2, 3)], 2), "[2, 3]");
        Rejects(() => Ops.Concat([], 0));
    }

    [Fact]
    public void ReductionAndSoftmaxMisuse()
    {
        Rejects(() => Ops.Sum(T(2, 3), [2]), "[2, 3]");
        Rejects(() => Ops.Sum(T(2, 3), [1, -1]), "[2, 3]");
        Rejects(() => Ops.Max(T(2, 3), [-3]), "[2, 3]");
        Rejects(() => Ops.Mean(T(2, 3), [0, 0]), "[2, 3]");
        Rejects(() => Ops.Mean(T(2, 0), [1]), "[2, 0]");
        Rejects(() => Ops.Softmax(T()), "[]");
        Rejects(() => Ops.LogSoftmax(T(2, 0)), "[2, 0]");
    }

    [Fact]
    public void CrossEntropyRejectsBadLabelsAndShapes()
    {
        Rejects(() => Ops.SoftmaxCrossEntropy(T(2, 3), [0, 3]), "label 3", "[2, 3]");
        Rejects(() => Ops.SoftmaxCrossEntropy(T(2, 3), [-1, 0]), "label -1", "[2, 3]");
        Rejects(() => Ops.SoftmaxCrossEntropy(T(2, 3), [0, 1, 2]), "[2, 3]", "[3]");
        Rejects(() => Ops.SoftmaxCrossEntropy(T(2, 3, 1), [0, 1]), "[2, 3, 1]");
        Rejects(() => Ops.SoftmaxCrossEntropy(T(2, 3), T(2, 1)), "[2, 3]", "[2, 1]");
        Rejects(() => Ops.SoftmaxCrossEntropyPerExample(T(2, 0), T(2)), "[2, 0]");
    }
}
