namespace AlexNet.Gpu;

/// <summary>Settings of a <see cref="CudaBackend"/>.</summary>
public sealed record CudaBackendOptions
{
    /// <summary>
    /// Allow TF32 tensor-core math in convolutions and GEMMs (faster on Ampere and later, about 10 bits of mantissa).
    /// Off by default: cuDNN runs with CUDNN_FMA_MATH and cuBLAS with CUBLAS_DEFAULT_MATH, full FP32 like the CPU.
    /// </summary>
    public bool AllowTf32 { get; init; }

    /// <summary>Largest cuDNN workspace an algorithm may need to be chosen (bytes); default 1 GiB.</summary>
    public long MaxWorkspaceBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Choose convolution algorithms by timing them (<c>cudnnFind*</c>, once per geometry) rather than by cuDNN's
    /// heuristics (<c>cudnnGet*_v7</c>). Default true. Only deterministic algorithms are ever chosen.
    /// </summary>
    public bool BenchmarkConvolutionAlgorithms { get; init; } = true;
}
