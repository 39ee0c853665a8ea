using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;
using AlexNet.Gpu.Interop.Handles;

namespace AlexNet.Gpu;

/// <summary>The cuDNN descriptors of one pooling geometry, max or average.</summary>
internal sealed class PoolingPlan : IDisposable
{
    /// <summary>Creates the descriptors and checks cuDNN's output size against the geometry's.</summary>
    /// <param name="g">The geometry.</param>
    /// <param name="average">Average pooling over the whole window (padding counted) instead of max pooling.</param>
    public PoolingPlan(PoolGeometry g, bool average = false)
    {
        X = TensorDescriptor.Create(g.Batch, g.Channels, g.InHeight, g.InWidth);
        Y = TensorDescriptor.Create(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        Pool = average
            ? PoolingDescriptor.CreateAverage(g.KernelHeight, g.KernelWidth, g.PadHeight, g.PadWidth, g.StrideHeight, g.StrideWidth)
            : PoolingDescriptor.CreateMax(g.KernelHeight, g.KernelWidth, g.PadHeight, g.PadWidth, g.StrideHeight, g.StrideWidth);
        Cudnn.Check(Cudnn.cudnnGetPooling2dForwardOutputDim(Pool.Value, X.Value, out int n, out int c, out int h, out int w));
        if (n != g.Batch || c != g.Channels || h != g.OutHeight || w != g.OutWidth)
        {
            Dispose();
            throw new InvalidOperationException(
                $"cuDNN computes pooling output [{n}, {c}, {h}, {w}] for {g}, expected [{g.Batch}, {g.Channels}, {g.OutHeight}, {g.OutWidth}].");
        }
    }

    /// <summary>Input descriptor.</summary>
    public TensorDescriptor X { get; }
    /// <summary>Output descriptor.</summary>
    public TensorDescriptor Y { get; }
    /// <summary>Pooling descriptor.</summary>
    public PoolingDescriptor Pool { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
        Pool.Dispose();
    }
}
