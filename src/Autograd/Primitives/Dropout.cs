namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout: in training, each element is kept with probability 1 − p and scaled by 1/(1 − p), so eval mode
    /// needs no rescaling; in eval mode (or with p = 0) the result is x itself (a tensor sharing its storage, no
    /// copy). The mask is a pure function of
    /// <paramref name="key"/>, identical on every backend.
    /// </summary>
    /// <exception cref="ArgumentException">p is outside [0, 1).</exception>
    public static Tensor Dropout(Tensor x, float p, RandomKey key, bool training)
    {
        var backend = BackendOf("Dropout", x);
        if (!(p >= 0f && p < 1f)) throw new ArgumentException($"Dropout probability must be in [0, 1), got {p}.", nameof(p));
        if (!training || p == 0f) return Reshape(x, x.Shape); // identity: shares x's storage, gradient passes through
        var y = Alloc(backend, x.Shape);
        var mask = new Tensor(x.Shape, Alloc(backend, x.Shape));
        backend.DropoutForward(x.Buffer, y, mask.Buffer, x.Count, p, key);
        var result = Tape.Record(x.Shape, y, [x], g =>
        {
            var dx = Alloc(backend, x.Shape);
            backend.Binary(Kernels.BinaryKernel.Mul, g.Buffer, x.Shape, mask.Buffer, x.Shape, dx, x.Shape);
            return [new Tensor(x.Shape, dx)];
        });
        // The mask lives as long as the recorded output (the tape releases it); untracked, nothing needs it.
        if (result.IsTracked) result.Tape!.Own(mask); else mask.Dispose();
        return result;
    }
}
