using DocExtract.Cli;
using DocExtract.Cli.Models;

// `extract FILE.pdf …` runs the pipeline; `extract models …` (scripts/models.sh) manages the models folder;
// `extract evaluate …` (scripts/evaluate.sh) measures models against reviewed documents.
if (args is ["models", .. var rest])
{
    using var interruption = Interruption.Watch();
    return await ModelsCommand.RunAsync(rest, Console.Out, Console.Error, !Console.IsErrorRedirected, interruption.Token);
}
if (args is ["evaluate", .. var evaluate])
{
    using var interruption = Interruption.Watch();
    return await EvaluateCommand.RunAsync(evaluate, Console.Out, Console.Error, interruption.Token);
}

return await ExtractCommand.RunAsync(args, Console.Out, Console.Error);
