namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>Joins tensors along <paramref name="axis"/>; every other dimension must agree.</summary>
    /// <exception cref="ArgumentException">No tensors, ranks differ, another dimension differs, or devices differ.</exception>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor.", nameof(tensors));
        var all = tensors.ToArray();
        var backend = BackendOf("Concat", all);
        var first = all[0];
        int ax;
        try { ax = first.Shape.NormalizeAxis(axis); }
        catch (ArgumentException) { throw ShapeError("Concat", $"axis {axis} is out of range", all); }
        int total = 0;
        foreach (var t in all)
        {
            if (t.Rank != first.Rank) throw ShapeError("Concat", "ranks differ", all);
            for (int i = 0; i < t.Rank; i++)
                if (i != ax && t.Shape[i] != first.Shape[i]) throw ShapeError("Concat", $"dimension {i} differs", all);
            total += t.Shape[ax];
        }
        var shape = first.Shape.With(ax, total);
        var y = Alloc(backend, shape);
        int offset = 0;
        var offsets = new int[all.Length];
        for (int k = 0; k < all.Length; k++)
        {
            offsets[k] = offset;
            backend.CopyAxisRange(all[k].Buffer, all[k].Shape, 0, y, shape, offset, ax, all[k].Shape[ax]);
            offset += all[k].Shape[ax];
        }
        return Tape.Record(shape, y, all, g =>
        {
            var grads = new Tensor?[all.Length];
            for (int k = 0; k < all.Length; k++)
                if (Tape.NeedsGradient(all[k])) grads[k] = Slice(g, ax, offsets[k], all[k].Shape[ax]);
            return grads;
        });
    }

    /// <summary>The indices [start, start + length) of <paramref name="axis"/>.</summary>
    /// <exception cref="ArgumentException">The axis or the range is out of bounds.</exception>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        var backend = BackendOf("Slice", x);
        int ax;
        try { ax = x.Shape.NormalizeAxis(axis); }
        catch (ArgumentException) { throw ShapeError("Slice", $"axis {axis} is out of range", x); }
        if (start < 0 || length < 0 || start + length > x.Shape[ax])
            throw ShapeError("Slice", $"range [{start}, {start + length}) is outside axis {ax} of size {x.Shape[ax]}", x);
        var shape = x.Shape.With(ax, length);
        var y = Alloc(backend, shape);
        backend.CopyAxisRange(x.Buffer, x.Shape, start, y, shape, 0, ax, length);
        return Tape.Record(shape, y, [x], g =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.Fill(dx, x.Count, 0f);
            backend.CopyAxisRange(g.Buffer, shape, 0, dx, x.Shape, start, ax, length);
            return [new Tensor(x.Shape, dx)];
        });
    }
}
