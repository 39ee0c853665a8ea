using System.CommandLine;
using AlexNet.Facade;
using AlexNet.Gpu;
using AlexNet.Layers;
using AlexNet.Onnx;

namespace AlexNet.Train.Cli;

/// <summary>
/// The <c>alexnet</c> command line as a function of its arguments and two writers, so that the program and the tests
/// run it the same way. Every error is one line on the error writer and a non-zero exit code (2 for bad arguments, 1
/// for bad data, state or device); no stack traces.
/// </summary>
internal static class CliApp
{
    /// <summary>The exit code of an argument error.</summary>
    public const int UsageError = 2;

    /// <summary>Parses and runs one command line.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="output">Where results and progress go (standard output).</param>
    /// <param name="error">Where error lines go (standard error).</param>
    /// <returns>The exit code: 0 for success, 1 for bad data, state or device, 2 for bad arguments, 130 when training was
    /// interrupted.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("AlexNet (Krizhevsky, Sutskever & Hinton, 2012) in C#: train on Fashion-MNIST or an image folder with the paper's recipe")
        {
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            PredictCommand.Create(),
            SummaryCommand.Create(),
            PrepareCommand.Create(),
            ImportCommand.Create(),
            ExportCommand.Create(),
        };
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error };
        if (args.Length == 0) return root.Parse(["--help"]).Invoke(invocation); // a bare 'alexnet' shows what it can do
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {ParseMessages.Describe(parse, root)}");
            return UsageError;
        }
        try
        {
            return parse.Invoke(invocation);
        }
        catch (Exception e) when (e is CliException or ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException
                                  or CheckpointFormatException or TrainingDivergedException or GpuException or InvalidOperationException
                                  or OnnxExportException)
        {
            error.WriteLine($"error: {Message(e)}");
            return e is CliException c ? c.ExitCode : 1;
        }
    }

    /// <summary>The first line of an exception's message, without .NET's " (Parameter 'name')" suffix, which means
    /// nothing on the command line.</summary>
    public static string Message(Exception e)
    {
        var message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
        return message.Split('\n')[0].Trim();
    }
}
