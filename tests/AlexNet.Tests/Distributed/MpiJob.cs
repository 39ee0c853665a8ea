using System.Diagnostics;

namespace AlexNet.Tests.Distributed;

/// <summary>Starts the distributed test host (tests/AlexNet.DistributedHost) alone or as an MPI job, and waits for it
/// within a bound, so that a job that hangs fails the test instead of the test run.</summary>
internal static class MpiJob
{
    /// <summary>The longest a job may run before it is killed and reported as hung.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    /// <summary>Full path of <c>mpirun</c> on PATH, or null.</summary>
    public static string? Mpirun { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "mpirun"))
        .FirstOrDefault(File.Exists);

    /// <summary>The host's assembly, built beside this test assembly (same configuration and framework).</summary>
    public static string HostAssembly
    {
        get
        {
            var tests = Path.GetDirectoryName(typeof(MpiJob).Assembly.Location)!;
            var marker = $"{Path.DirectorySeparatorChar}AlexNet.Tests{Path.DirectorySeparatorChar}";
            int at = tests.LastIndexOf(marker, StringComparison.Ordinal);
            if (at < 0) throw new InvalidOperationException($"Cannot find the host from the test folder {tests}.");
            var path = Path.Combine(tests[..at], "AlexNet.DistributedHost", tests[(at + marker.Length)..], "AlexNet.DistributedHost.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The distributed test host is not built: {path}.", path);
        }
    }

    /// <summary>Runs the host alone.</summary>
    public static Result Alone(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Run("dotnet", [HostAssembly, .. arguments], environment);

    /// <summary>Runs the host as an MPI job of <paramref name="ranks"/> processes on this machine.</summary>
    public static Result Ranks(int ranks, params string[] arguments) =>
        Run(Mpirun ?? throw new InvalidOperationException("mpirun is not installed."),
            ["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none", "-np", ranks.ToString(),
             "dotnet", HostAssembly, .. arguments], null);

    private static Result Run(string program, string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Result(-1, output.Result, error.Result, HungFor: Limit);
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result, HungFor: null);
    }

    /// <summary>How a job ended.</summary>
    /// <param name="ExitCode">The exit code (−1 when it was killed for hanging).</param>
    /// <param name="Output">Standard output.</param>
    /// <param name="Error">Standard error.</param>
    /// <param name="HungFor">The limit it ran past, or null.</param>
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan? HungFor)
    {
        /// <summary>Everything it printed, for assertion messages.</summary>
        public override string ToString() => $"exit {ExitCode}{(HungFor is { } h ? $" (killed after {h.TotalMinutes} min: hung)" : "")}\n{Output}\n{Error}";
    }
}
