using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>Fused elementwise loops that <see cref="System.Numerics.Tensors.TensorPrimitives"/> has no single call for.</summary>
internal static class ElementwiseKernels
{
    /// <summary>dx = dy where x &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int n = x.Length, i = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float gr = ref MemoryMarshal.GetReference(dy);
        ref float dr = ref MemoryMarshal.GetReference(dx);
        if (dy.Length < n || dx.Length < n) throw new ArgumentException("Spans differ in length.");
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var xv = Vector256.LoadUnsafe(ref xr, (nuint)i);
            var gv = Vector256.LoadUnsafe(ref gr, (nuint)i);
            Vector256.ConditionalSelect(Vector256.GreaterThan(xv, Vector256<float>.Zero), gv, Vector256<float>.Zero)
                .StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = Unsafe.Add(ref xr, i) > 0f ? Unsafe.Add(ref gr, i) : 0f;
    }

    /// <summary>v ← m·v − decay·w − lr·g; w ← w + v (decay = weight decay · lr).</summary>
    public static void Sgd(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float lr, float momentum, float decay)
    {
        int n = w.Length, i = 0;
        if (g.Length < n || v.Length < n) throw new ArgumentException("Spans differ in length.");
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float vr = ref MemoryMarshal.GetReference(v);
        var mv = Vector256.Create(momentum);
        var dv = Vector256.Create(decay);
        var lv = Vector256.Create(lr);
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var wv = Vector256.LoadUnsafe(ref wr, (nuint)i);
            var vv = mv * Vector256.LoadUnsafe(ref vr, (nuint)i) - dv * wv - lv * Vector256.LoadUnsafe(ref gr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            (wv + vv).StoreUnsafe(ref wr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float vv = momentum * Unsafe.Add(ref vr, i) - decay * Unsafe.Add(ref wr, i) - lr * Unsafe.Add(ref gr, i);
            Unsafe.Add(ref vr, i) = vv;
            Unsafe.Add(ref wr, i) += vv;
        }
    }

    /// <summary>One Adam step per element, in the order the CUDA kernel uses so that both round alike
    /// (see <see cref="Kernels.AdamCoefficients"/>).</summary>
    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Kernels.AdamCoefficients c)
    {
        int n = w.Length, i = 0;
        if (g.Length < n || m.Length < n || v.Length < n) throw new ArgumentException("Spans differ in length.");
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        float b1 = c.Beta1, a1 = 1f - c.Beta1, b2 = c.Beta2, a2 = 1f - c.Beta2;
        var b1v = Vector256.Create(b1);
        var a1v = Vector256.Create(a1);
        var b2v = Vector256.Create(b2);
        var a2v = Vector256.Create(a2);
        var epsv = Vector256.Create(c.Epsilon);
        var stepv = Vector256.Create(c.StepSize);
        var sv = Vector256.Create(c.SecondMomentScale);
        var decayv = Vector256.Create(c.GradientDecay);
        var scalev = Vector256.Create(c.WeightScale);
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var wv = Vector256.LoadUnsafe(ref wr, (nuint)i);
            var gv = Vector256.LoadUnsafe(ref gr, (nuint)i) + decayv * wv;
            var mv = b1v * Vector256.LoadUnsafe(ref mr, (nuint)i) + a1v * gv;
            var vv = b2v * Vector256.LoadUnsafe(ref vr, (nuint)i) + a2v * (gv * gv);
            mv.StoreUnsafe(ref mr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            var denominator = Vector256.Sqrt(vv) * sv + epsv;
            (scalev * wv - stepv * mv / denominator).StoreUnsafe(ref wr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref wr, i);
            float gi = Unsafe.Add(ref gr, i) + c.GradientDecay * wi;
            float mi = b1 * Unsafe.Add(ref mr, i) + a1 * gi;
            float vi = b2 * Unsafe.Add(ref vr, i) + a2 * (gi * gi);
            Unsafe.Add(ref mr, i) = mi;
            Unsafe.Add(ref vr, i) = vi;
            float denominator = MathF.Sqrt(vi) * c.SecondMomentScale + c.Epsilon;
            Unsafe.Add(ref wr, i) = c.WeightScale * wi - c.StepSize * mi / denominator;
        }
    }
}
