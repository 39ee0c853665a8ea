namespace AlexNet.Autograd.Cpu;

/// <summary>
/// An output shape and one or two broadcast inputs reduced to the fewest axes: output axes of size 1 are dropped and
/// neighbouring axes merged when every input is either full along both or broadcast along both. A bias row
/// [N, n] + [1, n] becomes two axes, a channel bias [N, C, H, W] + [1, C, 1, 1] three, equal shapes one.
/// </summary>
internal sealed class BroadcastLayout
{
    private BroadcastLayout(int[] dims, int[] strideA, int[] strideB)
    {
        Dims = dims;
        StrideA = strideA;
        StrideB = strideB;
    }

    /// <summary>Sizes of the merged output axes (at least one axis, possibly of size 1).</summary>
    public int[] Dims { get; }

    /// <summary>Element strides of the first input along each merged axis (0 where it is broadcast).</summary>
    public int[] StrideA { get; }

    /// <summary>Element strides of the second input along each merged axis (0 where it is broadcast).</summary>
    public int[] StrideB { get; }

    /// <summary>Number of merged axes.</summary>
    public int Rank => Dims.Length;

    /// <summary>Size of the innermost merged axis.</summary>
    public int Inner => Dims[^1];

    /// <summary>Number of innermost rows (the product of every merged axis but the last).</summary>
    public int Rows { get; private init; }

    /// <summary>Builds the layout; <paramref name="b"/> may be null for a single input.</summary>
    /// <exception cref="ArgumentException">Ranks differ or an input dimension is neither the output's nor 1.</exception>
    public static BroadcastLayout Create(Shape y, Shape a, Shape? b)
    {
        Check(y, a, "first input");
        if (b is not null) Check(y, b, "second input");
        var dims = new List<int>();
        var fullA = new List<bool>();
        var fullB = new List<bool>();
        for (int d = 0; d < y.Rank; d++)
        {
            if (y[d] == 1) continue;
            bool fa = a[d] != 1, fb = b is not null && b[d] != 1;
            if (dims.Count > 0 && fullA[^1] == fa && fullB[^1] == fb)
            {
                dims[^1] *= y[d];
            }
            else
            {
                dims.Add(y[d]);
                fullA.Add(fa);
                fullB.Add(fb);
            }
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            fullA.Add(true);
            fullB.Add(b is not null);
        }
        int rank = dims.Count;
        var sa = new int[rank];
        var sb = new int[rank];
        int accA = 1, accB = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            if (fullA[d]) { sa[d] = accA; accA *= dims[d]; }
            if (fullB[d]) { sb[d] = accB; accB *= dims[d]; }
        }
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) rows *= dims[d];
        return new BroadcastLayout([.. dims], sa, sb) { Rows = rows };
    }

    /// <summary>Offsets into the two inputs of the start of innermost row <paramref name="row"/>.</summary>
    public (int A, int B) RowOffsets(int row)
    {
        int oa = 0, ob = 0;
        for (int d = Rank - 2; d >= 0; d--)
        {
            int i = row % Dims[d];
            row /= Dims[d];
            oa += i * StrideA[d];
            ob += i * StrideB[d];
        }
        return (oa, ob);
    }

    private static void Check(Shape y, Shape x, string what)
    {
        if (x.Rank != y.Rank)
            throw new ArgumentException($"The {what} has shape {x} but the output has shape {y}; broadcasting needs equal ranks.");
        for (int d = 0; d < y.Rank; d++)
        {
            if (x[d] != y[d] && x[d] != 1)
                throw new ArgumentException($"The {what} has shape {x}, which does not broadcast to {y} (axis {d}).");
        }
    }
}
