namespace AlexNet.Autograd;

/// <summary>NumPy broadcasting of two shapes.</summary>
internal static class Broadcasting
{
    /// <summary>The broadcast result shape, or null when the shapes are incompatible.</summary>
    public static Shape? Result(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Rank) >= 0 ? a[i - (rank - a.Rank)] : 1;
            int db = i - (rank - b.Rank) >= 0 ? b[i - (rank - b.Rank)] : 1;
            if (da != db && da != 1 && db != 1) return null;
            dims[i] = da == 1 ? db : da;
        }
        return new Shape(dims);
    }

    /// <summary><paramref name="s"/> with leading ones added up to <paramref name="rank"/>.</summary>
    public static Shape PadTo(Shape s, int rank)
    {
        if (s.Rank == rank) return s;
        var dims = new int[rank];
        Array.Fill(dims, 1);
        for (int i = 0; i < s.Rank; i++) dims[rank - s.Rank + i] = s[i];
        return new Shape(dims);
    }
}
