using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu;

namespace AlexNet.Train.Cli;

/// <summary>Creates the backend a <c>--device</c> names: <c>cpu</c>, or <c>cuda:N</c> (created only when asked).</summary>
internal static class Devices
{
    /// <summary>True for <c>cpu</c>, <c>cuda</c> and <c>cuda:N</c> with N a whole number ≥ 0: the names
    /// <see cref="Open"/> accepts, checked while parsing so that a bad name is found before any data is read.</summary>
    public static bool IsName(string? device) =>
        device is "cpu" or "cuda"
        || (device is not null && device.StartsWith("cuda:", StringComparison.Ordinal) && device.Length > 5
            && device.AsSpan(5).IndexOfAnyExceptInRange('0', '9') < 0 && int.TryParse(device.AsSpan(5), out _));

    /// <summary>Opens the device.</summary>
    /// <param name="device"><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
    /// <param name="threads">CPU kernel threads (0: one per core).</param>
    /// <exception cref="CliException">The name is not a device, or the GPU cannot be opened.</exception>
    public static IBackend Open(string device, int threads)
    {
        if (threads < 0) throw new CliException($"--threads must be ≥ 0, got {threads}.", 2);
        if (device == "cpu") return new CpuBackend(threads > 0 ? threads : null);
        if (IsName(device))
        {
            int index = device == "cuda" ? 0 : int.Parse(device.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                return new CudaBackend(index);
            }
            catch (Exception e) when (e is GpuException or DllNotFoundException or EntryPointNotFoundException or ArgumentOutOfRangeException or BadImageFormatException)
            {
                throw new CliException($"CUDA device {index} is not usable: {FirstLine(e.Message)}");
            }
        }
        throw new CliException($"--device '{device}' is not cpu or cuda:N.", 2);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        int searched = line.IndexOf(" Searched:", StringComparison.Ordinal);
        return searched > 0 ? line[..searched] : line;
    }
}
