namespace AlexNet.Train.Cli;

/// <summary>An error the command line reports as one line (no stack trace) before exiting with a non-zero code.</summary>
/// <param name="message">The line to print.</param>
/// <param name="exitCode">The process exit code (1 for bad data or state, 2 for bad arguments).</param>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
