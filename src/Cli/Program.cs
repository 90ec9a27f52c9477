using DocExtract.Cli;

return await ExtractCommand.RunAsync(args, Console.Out, Console.Error);
