using AlexNet.Train.Cli;

namespace AlexNet.Cli.Tests;

/// <summary>What one run of the command line did.</summary>
/// <param name="Exit">The exit code.</param>
/// <param name="Output">Everything written to standard output.</param>
/// <param name="Error">Everything written to standard error.</param>
internal sealed record CliResult(int Exit, string Output, string Error)
{
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs <c>alexnet</c> in this process, as Program.cs does, with its output captured.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs and checks that it failed with <paramref name="exit"/> and one error line containing every fragment.</summary>
    public static CliResult Fails(int exit, string[] args, params string[] fragments)
    {
        var r = Run(args);
        Xunit.Assert.True(r.Exit == exit, $"expected exit {exit} for 'alexnet {string.Join(' ', args)}', got:\n{r}");
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Xunit.Assert.True(lines.Length >= 1 && lines.All(l => l.StartsWith("error: ", StringComparison.Ordinal)), $"expected 'error: ' lines only:\n{r}");
        foreach (var fragment in fragments)
            Xunit.Assert.True(r.Error.Contains(fragment, StringComparison.Ordinal), $"expected '{fragment}' in the error of 'alexnet {string.Join(' ', args)}':\n{r}");
        Xunit.Assert.DoesNotContain("   at ", r.Error); // no stack trace
        Xunit.Assert.DoesNotContain("System.", r.Error); // no .NET type names
        Xunit.Assert.DoesNotContain("(Parameter '", r.Error);
        return r;
    }
}
