namespace AlexNet.Autograd.Cpu;

/// <summary>Which GEMM micro-kernel runs; the fastest one the hardware supports is chosen once.</summary>
internal enum GemmPath
{
    /// <summary>4×8 Vector128 multiply-add micro-kernel (any hardware).</summary>
    Portable,

    /// <summary>6×16 Vector256 FMA micro-kernel.</summary>
    Avx2,

    /// <summary>14×32 Vector512 FMA micro-kernel.</summary>
    Avx512,
}
