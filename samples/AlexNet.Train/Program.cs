using AlexNet.Train.Cli;

// alexnet: prepare image stores, train, evaluate, predict, summarise, import and export AlexNet from the command line (CliApp holds it all).
return CliApp.Run(args, Console.Out, Console.Error);
