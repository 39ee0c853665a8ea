namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>The same elements in row-major order with a new shape; one dimension may be −1 (inferred).</summary>
    /// <exception cref="ArgumentException">The element counts differ, more than one dimension is −1, or a dimension is below −1.</exception>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw ShapeError("Reshape", $"only one dimension of [{string.Join(", ", shape)}] may be -1", x);
                infer = i;
            }
            else if (shape[i] < 0) throw ShapeError("Reshape", $"dimension {shape[i]} in [{string.Join(", ", shape)}] is negative", x);
            else known *= shape[i];
        }
        var dims = (int[])shape.Clone();
        if (infer >= 0)
        {
            if (known == 0 || x.Count % known != 0)
                throw ShapeError("Reshape", $"cannot infer the -1 in [{string.Join(", ", shape)}] from {x.Count} elements", x);
            dims[infer] = (int)(x.Count / known);
        }
        return Reshape(x, new Shape(dims));
    }

    /// <summary>The same elements in row-major order with a new shape of equal element count, sharing x's storage
    /// (no copy; the storage lives until both tensors are released).</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public static Tensor Reshape(Tensor x, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var backend = BackendOf("Reshape", x);
        if (shape.Count != x.Count) throw ShapeError("Reshape", $"cannot reshape {x.Count} elements to {shape} ({shape.Count} elements)", x);
        // Row-major data does not move: the result shares x's storage (reference counted), so Flatten is free.
        return Tape.Record(shape, x.ShareBuffer(), [x], g => [Reshape(g, x.Shape)]);
    }

    /// <summary>Collapses every axis after the first: [N, ...] → [N, rest].</summary>
    /// <exception cref="ArgumentException">x has rank 0.</exception>
    public static Tensor Flatten(Tensor x) => x.Rank == 0
        ? throw ShapeError("Flatten", "a scalar has no batch axis", x)
        : Reshape(x, x.Shape[0], x.Shape[0] == 0 ? 0 : x.Count / x.Shape[0]);
}
