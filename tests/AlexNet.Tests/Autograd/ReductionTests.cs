using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Sum, mean and max over any set of axes, with and without kept dimensions.</summary>
public sealed class ReductionTests
{
    public sealed record ReduceCase(string Op, int[] Shape, int[] Axes, bool KeepDims, int Seed)
    {
        public override string ToString() => $"{Op} {Nd.Format(Shape)} axes {Nd.Format(Axes)} keepDims {KeepDims} seed {Seed}";
    }

    /// <summary>A shape, then a subset of its axes (in random order, some written as negative axes).</summary>
    private static Gen<ReduceCase> Cases =>
        from op in Gen.Elements("Sum", "Mean", "Max", "SumAll", "MeanAll")
        from shape in Values.Shape(1, 4, 1, 4)
        from picked in Gen.Shuffle(Enumerable.Range(0, shape.Length)).SelectMany(p => Gen.SubListOf(p))
        from negative in Gen.ArrayOf(Gen.Elements(false, true), shape.Length)
        from keep in Gen.Elements(false, true)
        from seed in Values.Seed
        select new ReduceCase(op, shape, [.. picked.Select(a => negative[a] ? a - shape.Length : a)], keep, seed);

    [Property(MaxTest = 150, Replay = "(1414213562,3730950489)")]
    public Property ReductionsMatchReferenceAndFiniteDifferences() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        int n = Values.Count(c.Shape);
        // Max needs unambiguous maxima (no ties, no near-ties) for its gradient to be the finite difference.
        var x = new Arg(c.Op == "Max" ? Values.Distinct(c.Seed, n) : Values.Uniform(c.Seed, n, -2, 2), c.Shape);
        var all = Enumerable.Range(0, c.Shape.Length).ToArray();
        Func<Tensor, Tensor> op = c.Op switch
        {
            "Sum" => t => Ops.Sum(t, c.Axes, c.KeepDims),
            "Mean" => t => Ops.Mean(t, c.Axes, c.KeepDims),
            "Max" => t => Ops.Max(t, c.Axes, c.KeepDims),
            "SumAll" => Ops.Sum,
            _ => Ops.Mean,
        };
        Func<Nd, Nd> reference = c.Op switch
        {
            "Sum" => t => Reference.Reduce(t, c.Axes, c.KeepDims, max: false),
            "Mean" => t => Reference.Mean(t, c.Axes, c.KeepDims),
            "Max" => t => Reference.Reduce(t, c.Axes, c.KeepDims, max: true),
            "SumAll" => t => Reference.Reduce(t, all, false, max: false),
            _ => t => Reference.Mean(t, all, false),
        };
        GradCheck.Op(c.ToString(), [x], t => op(t[0]), t => reference(t[0]), c.Seed);
    });

    [Fact]
    public void MaxGradientGoesToTheMaximum()
    {
        using var x = Tensor.FromArray([1, 5, 3, 7, 2, 0], new Shape(2, 3));
        var grads = Autodiff.Grad(p => Ops.Sum(Ops.Max(p["x"], [1])), TensorMap.Empty.Add("x", x));
        Assert.Equal([0f, 1, 0, 1, 0, 0], grads["x"].ToArray());
        grads.DisposeAll();
    }
}
