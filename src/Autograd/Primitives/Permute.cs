namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>Reorders the axes: the result's axis i is x's axis <paramref name="perm"/>[i].</summary>
    /// <exception cref="ArgumentException">perm is not a permutation of 0..rank−1.</exception>
    public static Tensor Permute(Tensor x, params int[] perm)
    {
        ArgumentNullException.ThrowIfNull(perm);
        var backend = BackendOf("Permute", x);
        if (perm.Length != x.Rank || perm.Order().Where((p, i) => p != i).Any())
            throw ShapeError("Permute", $"[{string.Join(", ", perm)}] is not a permutation of the {x.Rank} axes", x);
        var dims = perm.Select(p => x.Shape[p]).ToArray();
        var shape = new Shape(dims);
        var y = Alloc(backend, shape);
        backend.Permute(x.Buffer, x.Shape, perm, y);
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return Tape.Record(shape, y, [x], g => [Permute(g, inverse)]);
    }

    /// <summary>Swaps two axes (default: the last two, the matrix transpose).</summary>
    /// <exception cref="ArgumentException">x has rank below 2 or an axis is out of range.</exception>
    public static Tensor Transpose(Tensor x, int axis1 = -2, int axis2 = -1)
    {
        if (x.Rank < 2) throw ShapeError("Transpose", "needs at least two axes", x);
        int a = x.Shape.NormalizeAxis(axis1), b = x.Shape.NormalizeAxis(axis2);
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }
}
