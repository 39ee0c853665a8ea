using System.Numerics.Tensors;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>One innermost row of a broadcast binary op, each operand either a contiguous run or a repeated scalar.</summary>
internal static class BinaryKernels
{
    /// <summary>y = a op b over <paramref name="y"/>'s length; a (b) is a run at its offset when full, else the scalar there.</summary>
    public static void Apply(BinaryKernel op, float[] a, int oa, bool aFull, float[] b, int ob, bool bFull, Span<float> y)
    {
        int n = y.Length;
        if (aFull && bFull) Both(op, new ReadOnlySpan<float>(a, oa, n), new ReadOnlySpan<float>(b, ob, n), y);
        else if (aFull) RightScalar(op, new ReadOnlySpan<float>(a, oa, n), b[ob], y);
        else if (bFull) LeftScalar(op, a[oa], new ReadOnlySpan<float>(b, ob, n), y);
        else y.Fill(Scalar(op, a[oa], b[ob]));
    }

    private static void Both(BinaryKernel op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryKernel.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryKernel.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryKernel.Mul: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryKernel.Div: TensorPrimitives.Divide(a, b, y); break;
            case BinaryKernel.Equal:
                for (int i = 0; i < y.Length; i++) y[i] = a[i] == b[i] ? 1f : 0f;
                break;
            default: throw Unknown(op);
        }
    }

    private static void RightScalar(BinaryKernel op, ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (op)
        {
            case BinaryKernel.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryKernel.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryKernel.Mul: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryKernel.Div: TensorPrimitives.Divide(a, b, y); break;
            case BinaryKernel.Equal:
                for (int i = 0; i < y.Length; i++) y[i] = a[i] == b ? 1f : 0f;
                break;
            default: throw Unknown(op);
        }
    }

    private static void LeftScalar(BinaryKernel op, float a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryKernel.Add: TensorPrimitives.Add(b, a, y); break;
            case BinaryKernel.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryKernel.Mul: TensorPrimitives.Multiply(b, a, y); break;
            case BinaryKernel.Div: TensorPrimitives.Divide(a, b, y); break;
            case BinaryKernel.Equal:
                for (int i = 0; i < y.Length; i++) y[i] = a == b[i] ? 1f : 0f;
                break;
            default: throw Unknown(op);
        }
    }

    private static float Scalar(BinaryKernel op, float a, float b) => op switch
    {
        BinaryKernel.Add => a + b,
        BinaryKernel.Sub => a - b,
        BinaryKernel.Mul => a * b,
        BinaryKernel.Div => a / b,
        BinaryKernel.Equal => a == b ? 1f : 0f,
        _ => throw Unknown(op),
    };

    private static ArgumentOutOfRangeException Unknown(BinaryKernel op) => new(nameof(op), op, "Unknown binary kernel.");
}
