using System.Diagnostics;
using AlexNet.Facade;

namespace AlexNet.Train.Cli;

/// <summary>Makes sure Fashion-MNIST is present: installs the Debian package when this process may (root with
/// apt-get), otherwise says exactly what to run.</summary>
internal static class FashionMnistInstaller
{
    private const string Command = "apt-get update && apt-get install -y " + FashionMnist.DebianPackage;

    /// <summary>Returns when the files are in <paramref name="directory"/>.</summary>
    /// <exception cref="CliException">They are missing and could not be installed (the message gives the command).</exception>
    public static void Ensure(string directory, TextWriter error)
    {
        if (FashionMnist.IsPresent(directory)) return;
        bool standard = Path.GetFullPath(directory).TrimEnd('/') == FashionMnist.DefaultDirectory;
        if (!standard)
            throw new CliException($"Fashion-MNIST is not in '{directory}' (expected the four IDX files, .gz or raw).");
        bool canInstall = OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/apt-get");
        if (!canInstall)
            throw new CliException($"Fashion-MNIST is not installed. Install it with: sudo sh -c '{Command}'");
        error.WriteLine($"Fashion-MNIST is not installed; installing the Debian package {FashionMnist.DebianPackage} …");
        if (!Run("apt-get", $"install -y {FashionMnist.DebianPackage}"))
        {
            Run("apt-get", "update");
            Run("apt-get", $"install -y {FashionMnist.DebianPackage}");
        }
        if (!FashionMnist.IsPresent(directory))
            throw new CliException($"Installing {FashionMnist.DebianPackage} failed. Run: {Command}");
    }

    private static bool Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
            });
            if (process is null) return false;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Task.WaitAll(output, errors);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
