namespace AlexNet.Tests.Autograd.Support;

/// <summary>A dense row-major float64 array: the data type of the naive reference implementations.</summary>
internal sealed class Nd
{
    public Nd(int[] shape, double[]? data = null)
    {
        Shape = (int[])shape.Clone();
        int count = 1;
        foreach (var d in shape) count *= d;
        Data = data ?? new double[count];
        if (Data.Length != count) throw new ArgumentException($"{Data.Length} values for shape [{string.Join(", ", shape)}].");
    }

    public int[] Shape { get; }

    public double[] Data { get; }

    public int Rank => Shape.Length;

    public int Count => Data.Length;

    public double this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    public int Offset(ReadOnlySpan<int> index)
    {
        int lin = 0;
        for (int i = 0; i < Shape.Length; i++) lin = lin * Shape[i] + index[i];
        return lin;
    }

    public Nd Clone() => new(Shape, (double[])Data.Clone());

    public static Nd FromFloats(float[] values, int[] shape) => new(shape, [.. values.Select(v => (double)v)]);

    public static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";

    public override string ToString() => $"Nd{Format(Shape)}";

    /// <summary>Turns a linear index into a multi-index for <paramref name="shape"/>.</summary>
    public static void Unravel(int lin, int[] shape, int[] index)
    {
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            index[i] = lin % shape[i];
            lin /= shape[i];
        }
    }
}
