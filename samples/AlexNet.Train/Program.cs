using System.CommandLine;
using AlexNet.Facade.Training;
using AlexNet.Gpu;
using AlexNet.Layers;
using AlexNet.Train.Cli;

// alexnet: prepare image stores, train, evaluate, predict and summarise AlexNet from the command line. Every error is one line on stderr and
// a non-zero exit code (2 for bad arguments, 1 for bad data or state); no stack traces.
var root = new RootCommand("AlexNet (Krizhevsky, Sutskever & Hinton, 2012) in C#: train on Fashion-MNIST or an image folder with the paper's recipe")
{
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    SummaryCommand.Create(),
    PrepareCommand.Create(),
    ExportCommand.Create(),
    ImportCommand.Create(),
};
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"error: {parse.Errors[0].Message} (see alexnet {(parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ")}--help)");
    return 2;
}
try
{
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is CliException or ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException
                          or CheckpointFormatException or TrainingDivergedException or GpuException or InvalidOperationException)
{
    // An ArgumentException's message ends in " (Parameter 'name')", a .NET detail that means nothing on the command line.
    var message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
    Console.Error.WriteLine($"error: {message.Split('\n')[0].Trim()}");
    return e is CliException c ? c.ExitCode : 1;
}
