namespace AlexNet.Autograd.Cpu;

/// <summary>Which max-pooling kernels run a geometry (<see cref="PoolKernels.PathFor"/> chooses).</summary>
internal enum PoolPath
{
    /// <summary>The clipped-window loops for any geometry (vectorised through System.Numerics.Tensors; any hardware).</summary>
    General,

    /// <summary>The AVX-512 pair for the paper's overlapping 3×3 stride-2 unpadded windows.</summary>
    Overlapping3x3Avx512,
}
