using System.Diagnostics;
using Xunit;

namespace AlexNet.Tests.Onnx;

/// <summary>A fact that needs a Python 3 that imports ONNX's own package (Debian's <c>python3-onnx</c>), to run
/// <c>onnx.checker</c>; elsewhere it is skipped with what was tried.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    private static readonly Lazy<(string? Python, string Reason)> Probe = new(FindPython);

    /// <summary>A Python interpreter that imports <c>onnx</c>, or null when none does.</summary>
    public static string? Python => Probe.Value.Python;

    /// <summary>Skips when no interpreter imports <c>onnx</c>.</summary>
    public OnnxCheckerFactAttribute()
    {
        if (Python is null) Skip = Probe.Value.Reason;
    }

    /// <summary>The first of <c>python3</c> on PATH and Debian's <c>/usr/bin/python3</c> (a PATH entry such as
    /// pyenv's may hide the system interpreter that has the Debian package) that imports <c>onnx</c>.</summary>
    private static (string? Python, string Reason) FindPython()
    {
        var tried = new List<string>();
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" }.Distinct())
        {
            var (exitCode, text) = RunPython(candidate, "import onnx; print(onnx.__version__)");
            if (exitCode == 0) return (candidate, "");
            tried.Add($"{candidate}: {text}");
        }
        return (null, "no Python 3 with the onnx package for onnx.checker (install Debian's python3-onnx); tried "
            + string.Join("; ", tried));
    }

    /// <summary>Runs <c>python -c code</c> and returns its exit code and its last line of output (or why it did not start).</summary>
    internal static (int ExitCode, string LastLine) RunPython(string python, string code, params string[] args)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "did not finish within 2 minutes");
            }
            var text = (stderr.Result + "\n" + stdout.Result).Trim();
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var last = process.ExitCode == 0 ? stdout.Result.Trim() : lines.LastOrDefault() ?? $"exit code {process.ExitCode}";
            return (process.ExitCode, last);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "not found (" + e.Message + ")");
        }
    }
}
