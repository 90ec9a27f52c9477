using DocExtract.Cli;
using DocExtract.Cli.Models;
using DocExtract.Pipeline.TextExtraction;

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

// `extract` runs itself as a contained child to open a password-protected PDF (PdfDecryption), as the worker does.
if (args is [PdfDecryption.Verb, var input, var output])
{
    return PdfDecryption.Run(input, output);
}

return await ExtractCommand.RunAsync(args, Console.Out, Console.Error);
