using AlexNet.Gpu;
using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>A fact that runs only where a CUDA device is usable; elsewhere it is skipped with the reason.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no CUDA device can be used.</summary>
    public GpuFactAttribute()
    {
        if (!GpuAvailability.IsAvailable) Skip = "no CUDA device: " + GpuSkipReason.FirstLine(GpuAvailability.Reason ?? "unknown");
    }
}
