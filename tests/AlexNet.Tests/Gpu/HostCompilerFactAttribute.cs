using Xunit;

namespace AlexNet.Tests.Gpu;

/// <summary>A fact that needs a host C++ compiler (g++) to build the CUDA kernel source with host stubs.</summary>
public sealed class HostCompilerFactAttribute : FactAttribute
{
    /// <summary>The compiler used, or null when none is installed.</summary>
    public static string? Compiler { get; } =
        new[] { "/usr/bin/g++", "/usr/local/bin/g++", "/usr/bin/clang++" }.FirstOrDefault(File.Exists);

    /// <summary>Skips when no compiler is found.</summary>
    public HostCompilerFactAttribute()
    {
        if (Compiler is null) Skip = "no host C++ compiler (g++ or clang++) to emulate the CUDA kernels";
    }
}
