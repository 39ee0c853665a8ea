using AlexNet.Gpu;
using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>A theory that runs only where a CUDA device is usable; elsewhere it is skipped with the reason.</summary>
public sealed class GpuTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no CUDA device can be used.</summary>
    public GpuTheoryAttribute()
    {
        if (!GpuAvailability.IsAvailable) Skip = "no CUDA device: " + GpuSkipReason.FirstLine(GpuAvailability.Reason ?? "unknown");
    }
}
