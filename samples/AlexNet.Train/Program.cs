using AlexNet.Train.Cli;

// alexnet: prepare image stores, train, evaluate, predict and summarise AlexNet from the command line (CliApp holds it all).
return CliApp.Run(args, Console.Out, Console.Error);
