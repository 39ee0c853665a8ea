using System.Numerics.Tensors;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    void IBackend.Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log)
    {
        long count = CheckMatrix(rows, cols);
        var xs = Cpu(x, count).Array;
        var ys = Cpu(y, count).Array;
        ForRows(rows, cols, r =>
        {
            var src = new ReadOnlySpan<float>(xs, r * cols, cols);
            var dst = new Span<float>(ys, r * cols, cols);
            float max = TensorPrimitives.Max(src);
            TensorPrimitives.Subtract(src, max, dst);
            if (log)
            {
                // log-softmax = (x − max) − ln Σ e^(x − max); the sum is ≥ 1, so the log is finite.
                float lse = MathF.Log(SumExp(dst));
                TensorPrimitives.Subtract(dst, lse, dst);
            }
            else
            {
                TensorPrimitives.Exp(dst, dst);
                TensorPrimitives.Multiply(dst, 1f / TensorPrimitives.Sum(dst), dst);
            }
        });
    }

    /// <inheritdoc/>
    void IBackend.SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log)
    {
        long count = CheckMatrix(rows, cols);
        var ys = Cpu(y, count).Array;
        var gs = Cpu(dy, count).Array;
        var ds = Cpu(dx, count).Array;
        ForRows(rows, cols, r =>
        {
            var yr = new ReadOnlySpan<float>(ys, r * cols, cols);
            var gr = new ReadOnlySpan<float>(gs, r * cols, cols);
            var dr = new Span<float>(ds, r * cols, cols);
            if (log)
            {
                float sum = TensorPrimitives.Sum(gr);
                TensorPrimitives.Exp(yr, dr);
                TensorPrimitives.MultiplyAdd(dr, -sum, gr, dr);
            }
            else
            {
                float dot = TensorPrimitives.Dot(gr, yr);
                TensorPrimitives.Subtract(gr, dot, dr);
                TensorPrimitives.Multiply(dr, yr, dr);
            }
        });
    }

    /// <inheritdoc/>
    void IBackend.SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols)
    {
        long count = CheckMatrix(rows, cols);
        var xs = Cpu(logits, count).Array;
        var ls = CheckLabels(Cpu(labels, rows).Array, rows, cols);
        var os = Cpu(loss, rows).Array;
        var ps = Cpu(probabilities, count).Array;
        ForRows(rows, cols, r =>
        {
            var src = new ReadOnlySpan<float>(xs, r * cols, cols);
            var p = new Span<float>(ps, r * cols, cols);
            float max = TensorPrimitives.Max(src);
            TensorPrimitives.Subtract(src, max, p);
            float shiftedLabel = p[(int)ls[r]];
            TensorPrimitives.Exp(p, p);
            float sum = TensorPrimitives.Sum(p);
            TensorPrimitives.Multiply(p, 1f / sum, p);
            // loss = logsumexp(x) − x[label] = ln Σ e^(x − max) − (x[label] − max).
            os[r] = MathF.Log(sum) - shiftedLabel;
        });
    }

    /// <inheritdoc/>
    void IBackend.SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols)
    {
        long count = CheckMatrix(rows, cols);
        var ps = Cpu(probabilities, count).Array;
        var ls = CheckLabels(Cpu(labels, rows).Array, rows, cols);
        var gs = Cpu(dloss, rows).Array;
        var ds = Cpu(dlogits, count).Array;
        ForRows(rows, cols, r =>
        {
            var d = new Span<float>(ds, r * cols, cols);
            float g = gs[r];
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(ps, r * cols, cols), g, d);
            d[(int)ls[r]] -= g;
        });
    }

    private static float SumExp(ReadOnlySpan<float> shifted)
    {
        float sum = 0f;
        foreach (float v in shifted) sum += MathF.Exp(v);
        return sum;
    }

    private void ForRows(int rows, int cols, Action<int> body) =>
        For(rows, Math.Max(1, (1 << 14) / Math.Max(cols, 1)), (s, e) =>
        {
            for (int r = s; r < e; r++) body(r);
        });

    private static long CheckMatrix(int rows, int cols)
    {
        if (rows < 0 || cols <= 0) throw new ArgumentException($"A [{rows}, {cols}] matrix needs rows ≥ 0 and cols ≥ 1.");
        return (long)rows * cols;
    }

    private static float[] CheckLabels(float[] labels, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            float l = labels[r];
            if (!(l >= 0 && l < cols) || l != MathF.Floor(l))
                throw new ArgumentException($"Label {l} of row {r} is not a class index in [0, {cols}).", nameof(labels));
        }
        return labels;
    }
}
