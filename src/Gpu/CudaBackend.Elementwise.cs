using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;

namespace AlexNet.Gpu;

public sealed partial class CudaBackend
{
    /// <inheritdoc/>
    unsafe void IBackend.Fill(DeviceBuffer destination, int count, float value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint y = Ptr(destination, count, nameof(destination));
        if (count == 0) return;
        if (BitConverter.SingleToInt32Bits(value) == 0)
        {
            CudaRuntime.Check(CudaRuntime.cudaMemsetAsync(y, 0, (nuint)((long)count * sizeof(float)), _streamValue));
            return;
        }
        int n = count;
        float v = value;
        void** args = stackalloc void*[] { &y, &n, &v };
        _kernels.Launch("k_fill", n, _streamValue, args);
    }

    /// <inheritdoc/>
    void IBackend.Copy(DeviceBuffer source, DeviceBuffer destination, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint x = Ptr(source, count, nameof(source));
        nint y = Ptr(destination, count, nameof(destination));
        if (count == 0 || x == y) return;
        CudaRuntime.Check(CudaRuntime.cudaMemcpyAsync(y, x, (nuint)((long)count * sizeof(float)), CudaRuntime.MemcpyDeviceToDevice, _streamValue));
    }

    /// <inheritdoc/>
    unsafe void IBackend.FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint y = Ptr(destination, count, nameof(destination));
        int n = count;
        ulong k = key.State;
        float lo = low;
        float range = high - low;
        void** args = stackalloc void*[] { &y, &n, &k, &lo, &range };
        _kernels.Launch("k_fill_uniform", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint y = Ptr(destination, count, nameof(destination));
        int n = count;
        ulong k = key.State;
        float m = mean;
        float s = std;
        void** args = stackalloc void*[] { &y, &n, &k, &m, &s };
        _kernels.Launch("k_fill_normal", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int code = op switch
        {
            UnaryKernel.Neg => 0,
            UnaryKernel.Exp => 1,
            UnaryKernel.Log => 2,
            UnaryKernel.Relu => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary kernel."),
        };
        EnsureCurrent();
        nint px = Ptr(x, count, nameof(x));
        nint py = Ptr(y, count, nameof(y));
        int n = count;
        void** args = stackalloc void*[] { &code, &px, &py, &n };
        _kernels.Launch("k_unary", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint px = Ptr(x, count, nameof(x));
        nint py = Ptr(y, count, nameof(y));
        int n = count;
        float a = scale;
        float b = shift;
        void** args = stackalloc void*[] { &px, &py, &n, &a, &b };
        _kernels.Launch("k_affine", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint px = Ptr(x, count, nameof(x));
        nint pg = Ptr(dy, count, nameof(dy));
        nint pd = Ptr(dx, count, nameof(dx));
        int n = count;
        void** args = stackalloc void*[] { &px, &pg, &pd, &n };
        _kernels.Launch("k_relu_backward", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be in [0, 1).");
        EnsureCurrent();
        nint px = Ptr(x, count, nameof(x));
        nint py = Ptr(y, count, nameof(y));
        nint pm = Ptr(mask, count, nameof(mask));
        int n = count;
        float drop = p;
        float keep = 1f / (1f - p);
        ulong k = key.State;
        void** args = stackalloc void*[] { &px, &py, &pm, &n, &drop, &keep, &k };
        _kernels.Launch("k_dropout", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint pw = Ptr(w, count, nameof(w));
        nint pg = Ptr(g, count, nameof(g));
        nint pv = Ptr(v, count, nameof(v));
        int n = count;
        float lr = learningRate;
        float mom = momentum;
        float decay = weightDecay * learningRate;
        void** args = stackalloc void*[] { &pw, &pg, &pv, &n, &lr, &mom, &decay };
        _kernels.Launch("k_sgd_momentum", n, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureCurrent();
        nint pw = Ptr(w, count, nameof(w));
        nint pg = Ptr(g, count, nameof(g));
        nint pm = Ptr(m, count, nameof(m));
        nint pv = Ptr(v, count, nameof(v));
        int n = count;
        float beta1 = coefficients.Beta1, beta2 = coefficients.Beta2, epsilon = coefficients.Epsilon;
        float stepSize = coefficients.StepSize, secondScale = coefficients.SecondMomentScale;
        float gradientDecay = coefficients.GradientDecay, weightScale = coefficients.WeightScale;
        void** args = stackalloc void*[] { &pw, &pg, &pm, &pv, &n, &beta1, &beta2, &epsilon, &stepSize, &secondScale, &gradientDecay, &weightScale };
        _kernels.Launch("k_adam", n, _streamValue, args);
    }
}
