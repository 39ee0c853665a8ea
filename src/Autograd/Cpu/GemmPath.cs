namespace AlexNet.Autograd.Cpu;

/// <summary>Which GEMM implementation runs; the fastest one the hardware supports is chosen once.</summary>
internal enum GemmPath
{
    /// <summary>Row-at-a-time loops over <see cref="System.Numerics.Tensors.TensorPrimitives"/> (any hardware).</summary>
    Simple,

    /// <summary>Packed, blocked, 6×16 Vector256 FMA micro-kernel.</summary>
    Avx2,

    /// <summary>Packed, blocked, 14×32 Vector512 FMA micro-kernel.</summary>
    Avx512,
}
