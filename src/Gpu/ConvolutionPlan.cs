using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;
using AlexNet.Gpu.Interop.Handles;

namespace AlexNet.Gpu;

/// <summary>
/// The cuDNN descriptors of one convolution geometry and the algorithm chosen for each direction (chosen on first use
/// and kept for the life of the backend).
/// </summary>
internal sealed class ConvolutionPlan : IDisposable
{
    /// <summary>The convolution this plan is for.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Creates the descriptors and checks cuDNN's output size against the geometry's.</summary>
    public ConvolutionPlan(ConvGeometry g, int mathType)
    {
        Geometry = g;
        X = TensorDescriptor.Create(g.Batch, g.InChannels, g.InHeight, g.InWidth);
        W = FilterDescriptor.Create(g.OutChannels, g.InChannelsPerGroup, g.KernelHeight, g.KernelWidth);
        Y = TensorDescriptor.Create(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        Bias = TensorDescriptor.Create(1, g.OutChannels, 1, 1);
        Conv = ConvolutionDescriptor.Create(g.PadHeight, g.PadWidth, g.StrideHeight, g.StrideWidth, g.Groups, mathType);
        CurrentMath = mathType;
        Cudnn.Check(Cudnn.cudnnGetConvolution2dForwardOutputDim(Conv.Value, X.Value, W.Value, out int n, out int c, out int h, out int w));
        if (n != g.Batch || c != g.OutChannels || h != g.OutHeight || w != g.OutWidth)
        {
            Dispose();
            throw new InvalidOperationException(
                $"cuDNN computes output [{n}, {c}, {h}, {w}] for {g}, expected [{g.Batch}, {g.OutChannels}, {g.OutHeight}, {g.OutWidth}].");
        }
    }

    /// <summary>Input descriptor.</summary>
    public TensorDescriptor X { get; }
    /// <summary>Filter descriptor.</summary>
    public FilterDescriptor W { get; }
    /// <summary>Output descriptor.</summary>
    public TensorDescriptor Y { get; }
    /// <summary>Bias descriptor [1, K, 1, 1].</summary>
    public TensorDescriptor Bias { get; }
    /// <summary>Convolution descriptor.</summary>
    public ConvolutionDescriptor Conv { get; }
    /// <summary>Math type currently set on <see cref="Conv"/>.</summary>
    public int CurrentMath { get; private set; }
    /// <summary>Forward algorithm, once chosen.</summary>
    public AlgorithmChoice? Forward { get; set; }
    /// <summary>Backward-data algorithm, once chosen.</summary>
    public AlgorithmChoice? BackwardData { get; set; }
    /// <summary>Backward-filter algorithm, once chosen.</summary>
    public AlgorithmChoice? BackwardFilter { get; set; }

    /// <summary>Sets the math type on the descriptor when it differs from the current one.</summary>
    public void UseMath(int mathType)
    {
        if (mathType == CurrentMath) return;
        Conv.SetMathType(mathType);
        CurrentMath = mathType;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        X.Dispose();
        W.Dispose();
        Y.Dispose();
        Bias.Dispose();
        Conv.Dispose();
    }
}
