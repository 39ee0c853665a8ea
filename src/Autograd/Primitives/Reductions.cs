using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>Sum of every element, as a scalar tensor.</summary>
    public static Tensor Sum(Tensor x) => Sum(x, [.. Enumerable.Range(0, x.Rank)], keepDims: false);

    /// <summary>Sum over <paramref name="axes"/> (negative axes count from the end).</summary>
    /// <param name="x">The input.</param>
    /// <param name="axes">The axes to reduce; each at most once.</param>
    /// <param name="keepDims">Keep reduced axes as size 1 instead of removing them.</param>
    /// <exception cref="ArgumentException">An axis is out of range or repeated.</exception>
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false)
    {
        var backend = BackendOf("Sum", x);
        var (kept, result) = ReducedShapes("Sum", x, axes, keepDims);
        var y = Alloc(backend, kept);
        backend.Reduce(ReduceKernel.Sum, x.Buffer, x.Shape, y, kept);
        return Tape.Record(result, y, [x], g =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.Broadcast(g.Buffer, kept, dx, x.Shape);
            return [new Tensor(x.Shape, dx)];
        });
    }

    /// <summary>Mean of every element, as a scalar tensor.</summary>
    public static Tensor Mean(Tensor x) => Mean(x, [.. Enumerable.Range(0, x.Rank)], keepDims: false);

    /// <summary>Mean over <paramref name="axes"/>: the sum divided by the number of reduced elements.</summary>
    /// <exception cref="ArgumentException">An axis is out of range or repeated, or a reduced axis is empty.</exception>
    public static Tensor Mean(Tensor x, int[] axes, bool keepDims = false)
    {
        long n = 1;
        foreach (var a in axes) n *= x.Shape[x.Shape.NormalizeAxis(a)];
        if (n == 0) throw ShapeError("Mean", "cannot average over an empty axis", x);
        using var s = Sum(x, axes, keepDims);
        return Affine(s, (float)(1.0 / n), 0f);
    }

    /// <summary>Maximum over <paramref name="axes"/>.</summary>
    /// <remarks>The gradient flows to every element equal to the maximum (ties each receive the full gradient;
    /// ties have probability zero for continuous inputs).</remarks>
    /// <exception cref="ArgumentException">An axis is out of range or repeated, or a reduced axis is empty.</exception>
    public static Tensor Max(Tensor x, int[] axes, bool keepDims = false)
    {
        var backend = BackendOf("Max", x);
        var (kept, result) = ReducedShapes("Max", x, axes, keepDims);
        if (x.Count == 0) throw ShapeError("Max", "the maximum of an empty tensor is undefined", x);
        var y = Alloc(backend, kept);
        backend.Reduce(ReduceKernel.Max, x.Buffer, x.Shape, y, kept);
        Tensor? output = null;
        output = Tape.Record(result, y, [x], g =>
        {
            using var mask = new Tensor(x.Shape, Alloc(backend, x.Shape));
            backend.Binary(BinaryKernel.Equal, x.Buffer, x.Shape, output!.Buffer, kept, mask.Buffer, x.Shape);
            var dx = Alloc(backend, x.Shape);
            backend.Binary(BinaryKernel.Mul, mask.Buffer, x.Shape, g.Buffer, kept, dx, x.Shape);
            return [new Tensor(x.Shape, dx)];
        });
        return output;
    }

    /// <summary>The reduced shape with kept dimensions (what kernels use) and the shape the caller sees.</summary>
    private static (Shape Kept, Shape Result) ReducedShapes(string op, Tensor x, int[] axes, bool keepDims)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var reduce = new bool[x.Rank];
        foreach (var a in axes)
        {
            int n;
            try { n = x.Shape.NormalizeAxis(a); }
            catch (ArgumentException) { throw ShapeError(op, $"axis {a} is out of range for rank {x.Rank}", x); }
            if (reduce[n]) throw ShapeError(op, $"axis {a} is listed twice", x);
            reduce[n] = true;
        }
        var kept = x.Shape.ToArray();
        var result = new List<int>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (reduce[i]) kept[i] = 1;
            if (!reduce[i] || keepDims) result.Add(kept[i]);
        }
        return (new Shape(kept), new Shape([.. result]));
    }
}
