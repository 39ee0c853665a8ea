using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop.Handles;

namespace AlexNet.Gpu;

/// <summary>The cuDNN descriptors of one LRN geometry (input and output share a shape).</summary>
internal sealed class LrnPlan : IDisposable
{
    /// <summary>Creates the descriptors; alpha is converted to cuDNN's convention (paper α · n).</summary>
    public LrnPlan(LrnGeometry g)
    {
        X = TensorDescriptor.Create(g.Batch, g.Channels, g.Height, g.Width);
        Lrn = LrnDescriptor.Create(g.Size, g.CudnnAlpha, g.Beta, g.K);
    }

    /// <summary>Tensor descriptor of x, y, dy and dx.</summary>
    public TensorDescriptor X { get; }
    /// <summary>LRN descriptor.</summary>
    public LrnDescriptor Lrn { get; }

    /// <summary>
    /// Whether cuDNN computes exactly the paper's formula for these parameters: an odd window (cuDNN's window is
    /// asymmetric for even n, the paper's covers n + 1 channels) within cuDNN's limits n ∈ [1, 16], k ≥ 1e-5, β ≥ 0.01.
    /// </summary>
    public static bool CudnnMatches(LrnGeometry g) =>
        g.Size >= 1 && g.Size <= 16 && g.Size % 2 == 1 && g.K >= 1e-5f && g.Beta >= 0.01f;

    /// <inheritdoc/>
    public void Dispose()
    {
        X.Dispose();
        Lrn.Dispose();
    }
}
