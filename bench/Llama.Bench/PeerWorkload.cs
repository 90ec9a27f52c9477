using System.Globalization;
using System.Text;
using System.Text.Json;
using DocExtract.Schemas;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Bench;

/// <summary>
/// What both engines run in bench/llama.sh, written to workload.json (and the grammar to grammar.gbnf) once, so the
/// peer reads exactly the model, prompt tokens and grammar that ours ran. Each engine uses <c>Threads[i]</c> threads
/// for the prompt and for generation alike: node-llama-cpp has one thread count per context.
/// </summary>
internal sealed record PeerWorkload
{
    public const string FileName = "workload.json";
    public const string GrammarFileName = "grammar.gbnf";

    /// <summary>The product's grammar for invoices, so "with grammar" is what an extraction actually runs.</summary>
    public const string GrammarSchema = "schemas/invoice.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private const int TargetPromptTokens = 512;

    public required string ModelPath { get; init; }

    public required string ModelDescription { get; init; }

    public required long ModelParameters { get; init; }

    /// <summary>The prompt as text; tokenized with special tokens parsed and BOS added, it gives <see cref="PromptTokens"/>.</summary>
    public required string PromptText { get; init; }

    public required int[] PromptTokens { get; init; }

    public required string GrammarSource { get; init; }

    public required int MaxTokens { get; init; }

    public required int ContextSize { get; init; }

    public required int BatchSize { get; init; }

    public required int[] Threads { get; init; }

    /// <summary>Measured rounds per engine process; bench/llama.sh alternates the engines' processes over passes.</summary>
    public required int Rounds { get; init; }

    public static PeerWorkload Create(int[] threads, int rounds, int maxTokens)
    {
        var modelPath = TestModels.Benchmark;
        using var model = LlamaModel.Load(modelPath);
        var (text, tokens) = Prompt(model);
        return new PeerWorkload
        {
            ModelPath = modelPath,
            ModelDescription = model.Description,
            ModelParameters = model.ParameterCount,
            PromptText = text,
            PromptTokens = tokens,
            GrammarSource = GrammarSchema,
            MaxTokens = maxTokens,
            ContextSize = 1024,
            BatchSize = TargetPromptTokens,
            Threads = threads,
            Rounds = rounds,
        };
    }

    public static string GrammarFrom(string repositoryRoot) =>
        GbnfGrammar.FromJsonSchema(File.ReadAllText(Path.Combine(repositoryRoot, GrammarSchema))).Text;

    public static PeerWorkload Load(string folder) =>
        JsonSerializer.Deserialize<PeerWorkload>(File.ReadAllText(Path.Combine(folder, FileName)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(folder, FileName)} is empty");

    public static string ReadGrammar(string folder) => File.ReadAllText(Path.Combine(folder, GrammarFileName));

    public void Save(string folder, string grammar)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));
        File.WriteAllText(Path.Combine(folder, GrammarFileName), grammar);
    }

    /// <summary>
    /// An extraction prompt framed as the worker frames it (ChatML: instructions as the system turn, the document as the
    /// user turn), with as many invoice lines as keep it within <see cref="TargetPromptTokens"/> tokens. The
    /// instructions are short: the worker's full field list for invoices alone is about 1,800 tokens of this
    /// tokenizer, and issue #3 asks for a prompt of about 512.
    /// </summary>
    private static (string Text, int[] Tokens) Prompt(LlamaModel model)
    {
        const string instructions =
            "You extract data from business documents. Read the invoice the user gives you and answer with one JSON object " +
            "holding its fields, and nothing else. Use null for a field the document does not state.";
        (string, int[])? best = null;
        for (var items = 1; ; items++)
        {
            var text = model.ApplyChatTemplate(
                [LlamaChatMessage.System(instructions), LlamaChatMessage.User("Document:\n" + Invoice(items))],
                addAssistantPrompt: true);
            var tokens = model.Tokenize(text, addSpecial: true, parseSpecial: true);
            if (tokens.Length > TargetPromptTokens)
            {
                return best ?? throw new InvalidOperationException(
                    $"the instructions alone take more than {TargetPromptTokens} tokens ({tokens.Length} with one invoice line)");
            }

            best = (text, tokens);
        }
    }

    /// <summary>A German-style invoice as pdftotext prints it, with <paramref name="items"/> line items; seeded, so always the same.</summary>
    private static string Invoice(int items)
    {
        string[] products = ["Toner cartridge TN-2420", "Copy paper A4 80 g (500 sheets)", "Ergonomic office chair", "USB-C docking station",
            "Monitor arm, dual", "Whiteboard markers (set of 8)", "Maintenance visit, hourly rate", "Shredder bags (100)"];
        var random = new Random(3);
        var text = new StringBuilder("""
            --- page 1 ---
            Nordwind Bürotechnik GmbH · Hafenstraße 12 · 20457 Hamburg
            Hanse Logistik AG
            Accounts Payable
            Speicherweg 4
            28195 Bremen
            INVOICE                                   Invoice no. RE-2026-0815
            Date: 14.03.2026    Due: 13.04.2026       Customer no. K-44127
            Your order: PO-7781 of 02.03.2026         Service period: 01.03.2026 - 10.03.2026
            Pos  Description                              Qty   Unit price      Amount

            """);
        var subtotal = 0m;
        for (var item = 1; item <= items; item++)
        {
            var quantity = random.Next(1, 25);
            var price = random.Next(150, 40000) / 100m;
            subtotal += quantity * price;
            text.Append(CultureInfo.InvariantCulture, $"{item,3}  {products[random.Next(products.Length)],-40} {quantity,3}  {price,10:F2} EUR  {quantity * price,10:F2} EUR\n");
        }

        var tax = Math.Round(subtotal * 0.19m, 2);
        text.Append(CultureInfo.InvariantCulture, $"""
            Net amount                                                   {subtotal,10:F2} EUR
            VAT 19 %                                                     {tax,10:F2} EUR
            Total                                                        {subtotal + tax,10:F2} EUR
            Payable within 30 days without deduction. Reference: RE-2026-0815
            IBAN DE44 5001 0517 5407 3249 31 · BIC INGDDEFFXXX · VAT ID DE812345678

            """);
        return text.ToString();
    }
}
