using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Reshape, flatten, permute, transpose, concat and slice.</summary>
public sealed class MovementTests
{
    public sealed record ReshapeCase(int[] From, int[] To, int Seed)
    {
        public override string ToString() => $"Reshape {Nd.Format(From)} → {Nd.Format(To)} seed {Seed}";
    }

    /// <summary>The target is the source's dimensions shuffled, the first two maybe merged, one maybe written as −1.</summary>
    private static Gen<ReshapeCase> ReshapeCases =>
        from from_ in Values.Shape(1, 4, 1, 4)
        from shuffled in Gen.Shuffle(from_)
        from merge in Gen.Elements(false, true)
        from infer in Gen.Choose(-1, 3)
        from seed in Values.Seed
        let merged = merge && shuffled.Length > 1 ? [shuffled[0] * shuffled[1], .. shuffled[2..]] : shuffled
        select new ReshapeCase(from_, infer >= 0 && infer < merged.Length ? [.. merged.Select((d, i) => i == infer ? -1 : d)] : merged, seed);

    [Property(MaxTest = 60, Replay = "(1732050807,5688772935)")]
    public Property ReshapeMatchesReferenceAndFiniteDifferences() => Prop.ForAll(ReshapeCases.ToArbitrary(), c =>
    {
        int n = Values.Count(c.From);
        var target = c.To.Select(d => d == -1 ? n / c.To.Where(v => v != -1).Aggregate(1, (a, v) => a * v) : d).ToArray();
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, n), c.From)], x => Ops.Reshape(x[0], c.To),
                     x => Reference.Reshape(x[0], target), c.Seed);
    });

    [Fact]
    public void FlattenKeepsTheBatchAxis()
    {
        var x = new Arg(Values.Uniform(7, 2 * 3 * 5), [2, 3, 5]);
        GradCheck.Op("Flatten [2, 3, 5]", [x], t => Ops.Flatten(t[0]), t => Reference.Reshape(t[0], [2, 15]), 7);
    }

    public sealed record PermuteCase(int[] Shape, int[] Perm, int Seed)
    {
        public override string ToString() => $"Permute {Nd.Format(Shape)} by {Nd.Format(Perm)} seed {Seed}";
    }

    private static Gen<PermuteCase> PermuteCases =>
        from shape in Values.Shape(1, 4, 1, 4)
        from perm in Gen.Shuffle(Enumerable.Range(0, shape.Length))
        from seed in Values.Seed
        select new PermuteCase(shape, perm, seed);

    [Property(MaxTest = 60, Replay = "(2236067977,4999999999)")]
    public Property PermuteMatchesReferenceAndFiniteDifferences() => Prop.ForAll(PermuteCases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.Shape)), c.Shape)],
                     x => Ops.Permute(x[0], c.Perm), x => Reference.Permute(x[0], c.Perm), c.Seed));

    public sealed record TransposeCase(int[] Shape, int Axis1, int Axis2, int Seed)
    {
        public override string ToString() => $"Transpose {Nd.Format(Shape)} axes {Axis1}, {Axis2} seed {Seed}";
    }

    private static Gen<TransposeCase> TransposeCases =>
        from shape in Values.Shape(2, 4, 1, 4)
        from a in Gen.Choose(-shape.Length, shape.Length - 1)
        from b in Gen.Choose(-shape.Length, shape.Length - 1)
        from seed in Values.Seed
        select new TransposeCase(shape, a, b, seed);

    [Property(MaxTest = 40, Replay = "(2645751311,6457513111)")]
    public Property TransposeSwapsTwoAxes() => Prop.ForAll(TransposeCases.ToArbitrary(), c =>
    {
        int rank = c.Shape.Length, a = (c.Axis1 + rank) % rank, b = (c.Axis2 + rank) % rank;
        var perm = Enumerable.Range(0, rank).ToArray();
        (perm[a], perm[b]) = (perm[b], perm[a]);
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.Shape)), c.Shape)],
                     x => Ops.Transpose(x[0], c.Axis1, c.Axis2), x => Reference.Permute(x[0], perm), c.Seed);
    });

    [Fact]
    public void TransposeDefaultsToTheLastTwoAxes()
    {
        using var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3));
        using var t = Ops.Transpose(x);
        Assert.Equal(new Shape(3, 2), t.Shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], t.ToArray());
    }

    public sealed record ConcatCase(int[] Shape, int Axis, int[] Sizes, int Seed)
    {
        public override string ToString() => $"Concat {Sizes.Length} tensors like {Nd.Format(Shape)} along {Axis} with sizes {Nd.Format(Sizes)} seed {Seed}";

        public int[] ShapeOf(int k) => [.. Shape.Select((d, i) => i == Axis ? Sizes[k] : d)];
    }

    private static Gen<ConcatCase> ConcatCases =>
        from shape in Values.Shape(1, 4, 1, 3)
        from axis in Gen.Choose(0, shape.Length - 1)
        from count in Gen.Choose(1, 3)
        from sizes in Gen.ArrayOf(Gen.Choose(1, 3), count)
        from seed in Values.Seed
        select new ConcatCase(shape, axis, sizes, seed);

    [Property(MaxTest = 60, Replay = "(3162277660,1683772699)")]
    public Property ConcatMatchesReferenceAndFiniteDifferences() => Prop.ForAll(ConcatCases.ToArbitrary(), c =>
    {
        var args = c.Sizes.Select((_, k) => new Arg(Values.Uniform(c.Seed + k, Values.Count(c.ShapeOf(k))), c.ShapeOf(k))).ToArray();
        GradCheck.Op(c.ToString(), args, x => Ops.Concat(x, c.Axis), x => Reference.Concat(x, c.Axis), c.Seed);
    });

    [Fact]
    public void ConcatAcceptsANegativeAxis()
    {
        using var a = Tensor.FromArray([1, 2, 3, 4], new Shape(2, 2));
        using var b = Tensor.FromArray([5, 6], new Shape(2, 1));
        using var c = Ops.Concat([a, b], -1);
        Assert.Equal(new Shape(2, 3), c.Shape);
        Assert.Equal([1f, 2, 5, 3, 4, 6], c.ToArray());
    }

    public sealed record SliceCase(int[] Shape, int Axis, int Start, int Length, int Seed)
    {
        public override string ToString() => $"Slice {Nd.Format(Shape)} axis {Axis} [{Start}, {Start + Length}) seed {Seed}";
    }

    private static Gen<SliceCase> SliceCases =>
        from shape in Values.Shape(1, 4, 1, 5)
        from axis in Gen.Choose(0, shape.Length - 1)
        from start in Gen.Choose(0, shape[axis] - 1)
        from length in Gen.Choose(1, shape[axis] - start)
        from negative in Gen.Elements(false, true)
        from seed in Values.Seed
        select new SliceCase(shape, negative ? axis - shape.Length : axis, start, length, seed);

    [Property(MaxTest = 60, Replay = "(1259921049,8945229259)")]
    public Property SliceMatchesReferenceAndFiniteDifferences() => Prop.ForAll(SliceCases.ToArbitrary(), c =>
    {
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.Shape)), c.Shape)],
                     x => Ops.Slice(x[0], c.Axis, c.Start, c.Length), x => Reference.Slice(x[0], axis, c.Start, c.Length), c.Seed);
    });
}
