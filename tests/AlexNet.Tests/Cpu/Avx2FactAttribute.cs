using System.Runtime.Intrinsics.X86;
using Xunit;

namespace AlexNet.Tests.Cpu;

/// <summary>A fact about AVX2 + FMA kernels: it runs where the CPU has both and is reported skipped, with the reason,
/// elsewhere (never a silent pass).</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the CPU lacks AVX2 or FMA.</summary>
    public Avx2FactAttribute()
    {
        if (!Avx2.IsSupported || !Fma.IsSupported) Skip = "this CPU has no AVX2 + FMA, so its Vector256 GEMM kernel cannot run here (the dispatch test still runs)";
    }
}
