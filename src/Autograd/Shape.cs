using System.Collections.Immutable;

namespace AlexNet.Autograd;

/// <summary>The dimensions of a tensor, outermost first (row-major). Compares by value.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly ImmutableArray<int> _dims;

    /// <summary>Creates a shape from its dimensions.</summary>
    /// <param name="dims">Each dimension; zero is allowed (an empty tensor), negative is not.</param>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public Shape(params ReadOnlySpan<int> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentException($"Shape {Format(dims)} has a negative dimension; every dimension must be ≥ 0.", nameof(dims));
            count *= d;
            if (count > int.MaxValue) throw new ArgumentException($"Shape {Format(dims)} has more than {int.MaxValue} elements.", nameof(dims));
        }
        _dims = [.. dims];
        Count = (int)count;
    }

    /// <summary>The scalar shape (rank 0, one element).</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Total number of elements (the product of the dimensions).</summary>
    public int Count { get; }

    /// <summary>The dimensions.</summary>
    public ImmutableArray<int> Dims => _dims;

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => _dims[NormalizeAxis(axis)];

    /// <summary>Turns a possibly negative axis into an index in [0, Rank).</summary>
    /// <exception cref="ArgumentException">The axis is outside [-Rank, Rank).</exception>
    public int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank) throw new ArgumentException($"Axis {axis} is out of range for shape {this} (rank {Rank}).", nameof(axis));
        return a;
    }

    /// <summary>Row-major strides in elements.</summary>
    public int[] Strides()
    {
        var s = new int[Rank];
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--) { s[i] = acc; acc *= _dims[i]; }
        return s;
    }

    /// <summary>A copy with dimension <paramref name="axis"/> replaced.</summary>
    public Shape With(int axis, int size)
    {
        var d = _dims.ToArray();
        d[NormalizeAxis(axis)] = size;
        return new Shape(d);
    }

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => _dims.ToArray();

    /// <summary>Implicit conversion from an array of dimensions.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims.AsSpan());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Formats as <c>[2, 3, 4]</c>.</summary>
    public override string ToString() => Format(_dims.AsSpan());

    private static string Format(ReadOnlySpan<int> dims) => "[" + string.Join(", ", dims.ToArray()) + "]";
}
