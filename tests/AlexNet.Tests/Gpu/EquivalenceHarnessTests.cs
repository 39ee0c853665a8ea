using AlexNet.Autograd.Cpu;
using AlexNet.Gpu.Diagnostics;
using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>The equivalence suite itself, run with the CPU backend on both sides: every case runs and passes exactly.</summary>
public sealed class EquivalenceHarnessTests
{
    public static TheoryData<string> Cases() => new(BackendEquivalence.CaseNames);

    [Theory]
    [MemberData(nameof(Cases))]
    public void CpuAgainstItselfPassesEveryCase(string caseName)
    {
        using var reference = new CpuBackend();
        using var candidate = new CpuBackend();
        var results = BackendEquivalence.Run(caseName, reference, candidate);
        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            Assert.True(r.Passed, $"{r.Output}: {r.Error}");
            Assert.Equal(0, r.MaxAbsError);
        });
        Assert.Equal(0, reference.Memory.LiveBuffers);
        Assert.Equal(0, candidate.Memory.LiveBuffers);
    }

    [Fact]
    public void MeasureFlagsDifferencesNaNsAndLengthMismatch()
    {
        var ok = BackendPair.Measure("c", "o", [1f, 2f, float.NaN], [1f, 2.0001f, float.NaN], 0, 1e-3);
        Assert.True(ok.Passed);
        Assert.False(BackendPair.Measure("c", "o", [1f], [1.1f], 0, 1e-3).Passed);
        Assert.False(BackendPair.Measure("c", "o", [1f], [float.NaN], 1, 1).Passed);
        Assert.False(BackendPair.Measure("c", "o", [1f, 2f], [1f], 1, 1).Passed);
    }

    [Fact]
    public void UnknownCaseIsRejected() =>
        Assert.Throws<ArgumentException>(() => BackendEquivalence.Run("no-such-case", CpuBackend.Default, CpuBackend.Default));
}
