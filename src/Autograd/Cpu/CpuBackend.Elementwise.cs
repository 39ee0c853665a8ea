using System.Numerics.Tensors;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    // Elementwise work is memory bound: split only when each thread gets a sizeable contiguous chunk.
    private const int ElementwiseGrain = 1 << 15;

    /// <inheritdoc/>
    void IBackend.Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count)
    {
        var xs = Cpu(x, count).Array;
        var ys = Cpu(y, count).Array;
        For(count, ElementwiseGrain, (s, e) =>
        {
            var src = new ReadOnlySpan<float>(xs, s, e - s);
            var dst = new Span<float>(ys, s, e - s);
            switch (op)
            {
                case UnaryKernel.Neg: TensorPrimitives.Negate(src, dst); break;
                case UnaryKernel.Exp: TensorPrimitives.Exp(src, dst); break;
                case UnaryKernel.Log: TensorPrimitives.Log(src, dst); break;
                case UnaryKernel.Relu: TensorPrimitives.Max(src, 0f, dst); break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary kernel.");
            }
        });
    }

    /// <inheritdoc/>
    void IBackend.Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift)
    {
        var xs = Cpu(x, count).Array;
        var ys = Cpu(y, count).Array;
        For(count, ElementwiseGrain, (s, e) =>
        {
            var dst = new Span<float>(ys, s, e - s);
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(xs, s, e - s), scale, dst);
            TensorPrimitives.Add(dst, shift, dst);
        });
    }

    /// <inheritdoc/>
    void IBackend.ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count)
    {
        var xs = Cpu(x, count).Array;
        var gs = Cpu(dy, count).Array;
        var ds = Cpu(dx, count).Array;
        For(count, ElementwiseGrain, (s, e) => ElementwiseKernels.ReluBackward(
            new ReadOnlySpan<float>(xs, s, e - s), new ReadOnlySpan<float>(gs, s, e - s), new Span<float>(ds, s, e - s)));
    }

    /// <inheritdoc/>
    void IBackend.DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key)
    {
        var xs = Cpu(x, count).Array;
        var ys = Cpu(y, count).Array;
        var ms = Cpu(mask, count).Array;
        float keep = 1f / (1f - p);
        For(count, 1 << 13, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                float m = key.Uniform(i) >= p ? keep : 0f;
                ms[i] = m;
                ys[i] = xs[i] * m;
            }
        });
    }

    /// <inheritdoc/>
    void IBackend.SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay)
    {
        var ws = Cpu(w, count).Array;
        var gs = Cpu(g, count).Array;
        var vs = Cpu(v, count).Array;
        float decay = weightDecay * learningRate;
        For(count, ElementwiseGrain, (s, e) => ElementwiseKernels.Sgd(
            new Span<float>(ws, s, e - s), new ReadOnlySpan<float>(gs, s, e - s), new Span<float>(vs, s, e - s), learningRate, momentum, decay));
    }

    /// <inheritdoc/>
    void IBackend.AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients)
    {
        var ws = Cpu(w, count).Array;
        var gs = Cpu(g, count).Array;
        var ms = Cpu(m, count).Array;
        var vs = Cpu(v, count).Array;
        For(count, ElementwiseGrain, (s, e) => ElementwiseKernels.Adam(
            new Span<float>(ws, s, e - s), new ReadOnlySpan<float>(gs, s, e - s),
            new Span<float>(ms, s, e - s), new Span<float>(vs, s, e - s), coefficients));
    }
}
