namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>scale·x + shift elementwise (scalar arithmetic; the operators <c>x * 2f</c>, <c>x + 1f</c> use it).</summary>
    public static Tensor Affine(Tensor x, float scale, float shift)
    {
        var backend = BackendOf("Affine", x);
        var y = Alloc(backend, x.Shape);
        backend.Affine(x.Buffer, y, x.Count, scale, shift);
        return Tape.Record(x.Shape, y, [x], g => [Affine(g, scale, 0f)]);
    }

    /// <summary>An identical copy of x in a new buffer (recorded, with identity gradient, unless <paramref name="track"/> is false).</summary>
    public static Tensor Copy(Tensor x, bool track = true)
    {
        var backend = BackendOf("Copy", x);
        var y = Alloc(backend, x.Shape);
        backend.Copy(x.Buffer, y, x.Count);
        return track ? Tape.Record(x.Shape, y, [x], g => [Alias(g)]) : new Tensor(x.Shape, y);
    }

    /// <summary>An untracked tensor sharing <paramref name="x"/>'s storage: an identity gradient without a copy (the
    /// tape disposes each tensor separately; the reference-counted buffer outlives both).</summary>
    private static Tensor Alias(Tensor x) => new(x.Shape, x.ShareBuffer());
}
