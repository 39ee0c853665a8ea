using System.Runtime.Intrinsics.X86;
using Xunit;

namespace AlexNet.Tests.Cpu;

/// <summary>A fact about AVX-512 kernels: it runs where the CPU has AVX-512F and is reported skipped, with the reason,
/// elsewhere (never a silent pass).</summary>
public sealed class Avx512FactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the CPU lacks AVX-512F.</summary>
    public Avx512FactAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "this CPU has no AVX-512F, so its AVX-512 kernels cannot run here (the dispatch tests still run)";
    }
}
