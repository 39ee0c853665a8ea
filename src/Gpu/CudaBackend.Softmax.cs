using AlexNet.Autograd.Kernels;

namespace AlexNet.Gpu;

public sealed partial class CudaBackend
{
    /// <inheritdoc/>
    unsafe void IBackend.Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log)
    {
        CheckRows(rows, cols);
        EnsureCurrent();
        nint px = Ptr(x, (long)rows * cols, nameof(x));
        nint py = Ptr(y, (long)rows * cols, nameof(y));
        if (cols == 0) return;
        int r = rows, c = cols, mode = log ? 1 : 0;
        void** args = stackalloc void*[] { &px, &py, &r, &c, &mode };
        _kernels.LaunchRows("k_softmax", rows, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log)
    {
        CheckRows(rows, cols);
        EnsureCurrent();
        nint py = Ptr(y, (long)rows * cols, nameof(y));
        nint pdy = Ptr(dy, (long)rows * cols, nameof(dy));
        nint pdx = Ptr(dx, (long)rows * cols, nameof(dx));
        if (cols == 0) return;
        int r = rows, c = cols, mode = log ? 1 : 0;
        void** args = stackalloc void*[] { &py, &pdy, &pdx, &r, &c, &mode };
        _kernels.LaunchRows("k_softmax_backward", rows, _streamValue, args);
    }

    /// <inheritdoc/>
    /// <remarks>A label that is not an integer in [0, cols) gives a NaN loss for its row (the kernel cannot throw).</remarks>
    unsafe void IBackend.SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols)
    {
        CheckRows(rows, cols);
        if (cols == 0 && rows > 0) throw new ArgumentException("Cross-entropy needs at least one class.", nameof(cols));
        EnsureCurrent();
        nint px = Ptr(logits, (long)rows * cols, nameof(logits));
        nint pl = Ptr(labels, rows, nameof(labels));
        nint ploss = Ptr(loss, rows, nameof(loss));
        nint pp = Ptr(probabilities, (long)rows * cols, nameof(probabilities));
        int r = rows, c = cols;
        void** args = stackalloc void*[] { &px, &pl, &ploss, &pp, &r, &c };
        _kernels.LaunchRows("k_ce_forward", rows, _streamValue, args);
    }

    /// <inheritdoc/>
    unsafe void IBackend.SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols)
    {
        CheckRows(rows, cols);
        EnsureCurrent();
        nint pp = Ptr(probabilities, (long)rows * cols, nameof(probabilities));
        nint pl = Ptr(labels, rows, nameof(labels));
        nint pdl = Ptr(dloss, rows, nameof(dloss));
        nint pd = Ptr(dlogits, (long)rows * cols, nameof(dlogits));
        int r = rows, c = cols;
        void** args = stackalloc void*[] { &pp, &pl, &pdl, &pd, &r, &c };
        _kernels.Launch("k_ce_backward", (long)rows * cols, _streamValue, args);
    }

    private static void CheckRows(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if ((long)rows * cols > int.MaxValue) throw new ArgumentException($"{rows}×{cols} exceeds {int.MaxValue} elements.");
    }
}
