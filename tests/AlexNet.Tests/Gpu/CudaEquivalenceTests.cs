using AlexNet.Gpu.Diagnostics;
using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>Every kernel, forward and backward, on the CUDA backend against the CPU reference (tolerances in BackendEquivalence).</summary>
public sealed class CudaEquivalenceTests(CudaFixture fixture) : IClassFixture<CudaFixture>
{
    public static TheoryData<string> Cases() => new(BackendEquivalence.CaseNames);

    [GpuTheory]
    [MemberData(nameof(Cases))]
    public void CudaMatchesCpu(string caseName)
    {
        var results = BackendEquivalence.Run(caseName, fixture.Cpu, fixture.Cuda);
        var failures = results.Where(r => !r.Passed)
            .Select(r => $"{r.Output}: max abs {r.MaxAbsError:G3}, max rel {r.MaxRelError:G3} (tol {r.AbsTolerance:G3} + {r.RelTolerance:G3}·|ref|) {r.Error}")
            .ToArray();
        Assert.True(failures.Length == 0, string.Join(Environment.NewLine, failures));
    }
}
