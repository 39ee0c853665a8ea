using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>Vectorised pieces of local response normalisation, one spatial plane at a time.</summary>
internal static unsafe class LrnKernels
{
    /// <summary>s = k + α·Σ_{j=lo}^{hi} x_j² over the planes j of one image (plane stride <paramref name="plane"/>).</summary>
    public static void Scale(float* image, int plane, int lo, int hi, float alpha, float k, Span<float> s)
    {
        var x0 = new ReadOnlySpan<float>(image + (long)lo * plane, plane);
        TensorPrimitives.Multiply(x0, x0, s);
        for (int j = lo + 1; j <= hi; j++)
        {
            var xj = new ReadOnlySpan<float>(image + (long)j * plane, plane);
            TensorPrimitives.MultiplyAdd(xj, xj, s, s);
        }
        TensorPrimitives.Multiply(s, alpha, s);
        TensorPrimitives.Add(s, k, s);
    }

    /// <summary>s ← s^(−β), with a two-square-root fast path for the paper's β = 0.75.</summary>
    public static void NegativePower(Span<float> s, float beta)
    {
        if (beta != 0.75f)
        {
            TensorPrimitives.Log(s, s);
            TensorPrimitives.Multiply(s, -beta, s);
            TensorPrimitives.Exp(s, s);
            return;
        }
        int i = 0, n = s.Length;
        fixed (float* p = s)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var r = Vector256.Sqrt(Vector256.Load(p + i));
                Vector256.Store(Vector256<float>.One / (r * Vector256.Sqrt(r)), p + i);
            }
            for (; i < n; i++)
            {
                float r = MathF.Sqrt(p[i]);
                p[i] = 1f / (r * MathF.Sqrt(r));
            }
        }
    }
}
