using System.Globalization;
using System.Text;
using System.Text.Json;
using DocExtract.Schemas;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Bench;

/// <summary>
/// Issue #5's workload, written to batching.json so the peer runs exactly the same tokens: synthetic invoices of about
/// 600 tokens behind one shared prefix of about 300 (ChatML header, instructions, 8 field descriptions), each answered
/// under the grammar of the same 8-field schema, greedy, up to <see cref="MaxTokens"/> tokens.
/// </summary>
internal sealed record BatchingWorkload
{
    public const string FileName = "batching.json";
    public const string GrammarFileName = "batching.gbnf";

    private const int TargetDocumentTokens = 600;

    public const string Schema = """
        {
          "type": "object",
          "properties": {
            "invoice_number": { "type": ["string", "null"], "maxLength": 32 },
            "invoice_date": { "type": ["string", "null"], "format": "date" },
            "due_date": { "type": ["string", "null"], "format": "date" },
            "supplier": { "type": ["string", "null"], "maxLength": 48 },
            "customer": { "type": ["string", "null"], "maxLength": 48 },
            "currency": { "type": ["string", "null"], "maxLength": 3 },
            "net_amount": { "type": ["number", "null"] },
            "total": { "type": ["number", "null"] }
          },
          "required": ["invoice_number", "invoice_date", "due_date", "supplier", "customer", "currency", "net_amount", "total"]
        }
        """;

    private const string Instructions = """
        You extract data from business documents. Read the document the user gives you and answer with one JSON
        object holding the fields listed below, in that order, and nothing else.
        - Copy names, numbers, identifiers and wording exactly as printed.
        - Use null for a field the document does not state. Never guess or invent a value.
        - Write dates as YYYY-MM-DD and amounts as plain numbers (no currency symbols, no thousands separators).

        Fields:
        - invoice_number (string or null): the supplier's number for this invoice, as printed, e.g. "RE-2026-0815".
        - invoice_date (date or null): the date the invoice was issued, not the order or delivery date.
        - due_date (date or null): the date by which the invoice must be paid, if printed or stated as a date.
        - supplier (string or null): the legal name of the company that issued the invoice.
        - customer (string or null): the legal name of the company the invoice is addressed to.
        - currency (string or null): the ISO 4217 code of the invoice's currency, e.g. "EUR".
        - net_amount (number or null): the amount before tax, as a plain number.
        - total (number or null): the amount payable including tax, as a plain number.
        """;

    public required string ModelPath { get; init; }

    public required int[] PrefixTokens { get; init; }

    /// <summary>Each document's own tokens: the user turn with the invoice, then the assistant header.</summary>
    public required int[][] Documents { get; init; }

    public required int MaxTokens { get; init; }

    /// <summary>KV cells per sequence: prefix, document and answer fit.</summary>
    public required int ContextPerSequence { get; init; }

    public required int BatchSize { get; init; }

    public required int Threads { get; init; }

    public required int[] Sequences { get; init; }

    /// <param name="modelPath">A GGUF model (bench/batching.sh --model); null for the generated 60M-parameter one.</param>
    public static BatchingWorkload Create(int documents, int maxTokens, int[] sequences, string? modelPath = null)
    {
        modelPath ??= TestModels.Benchmark;
        using var model = LlamaModel.Load(modelPath, new LlamaModelOptions { VocabularyOnly = true });
        var (prefixText, rest) = Framing(model);
        var prefix = model.Tokenize(prefixText, addSpecial: true, parseSpecial: true);
        var texts = new int[documents][];
        for (var i = 0; i < documents; i++)
        {
            int[]? best = null;
            for (var items = 1; ; items++)
            {
                var tokens = model.Tokenize(rest(Invoice(i, items)), addSpecial: false, parseSpecial: true);
                if (tokens.Length > TargetDocumentTokens)
                {
                    break;
                }

                best = tokens;
            }

            texts[i] = best ?? throw new InvalidOperationException("one invoice line is already over the document size");
        }

        return new BatchingWorkload
        {
            ModelPath = modelPath,
            PrefixTokens = prefix,
            Documents = texts,
            MaxTokens = maxTokens,
            ContextPerSequence = 1024 + 256,
            BatchSize = 512,
            Threads = Environment.ProcessorCount,
            Sequences = sequences,
        };
    }

    /// <summary>
    /// The shared prefix (system turn) and, per document, the rest of the prompt, through the model's chat template
    /// (ChatML for the generated model); a template that does not begin with the system turn alone shares nothing.
    /// </summary>
    private static (string Prefix, Func<string, string> Turn) Framing(LlamaModel model)
    {
        if (model.ChatTemplate is null)
        {
            return ($"{Instructions}\n\n", document => $"Document:\n{document}\n\nJSON:\n");
        }

        var prefix = model.ApplyChatTemplate([LlamaChatMessage.System(Instructions)], addAssistantPrompt: false);
        string Whole(string document) => model.ApplyChatTemplate(
            [LlamaChatMessage.System(Instructions), LlamaChatMessage.User($"Document:\n{document}")], addAssistantPrompt: true);
        return Whole("").StartsWith(prefix, StringComparison.Ordinal)
            ? (prefix, document => Whole(document)[prefix.Length..])
            : ("", Whole);
    }

    public static string Grammar() => GbnfGrammar.FromJsonSchema(Schema).Text;

    public static BatchingWorkload Load(string folder) =>
        JsonSerializer.Deserialize<BatchingWorkload>(File.ReadAllText(Path.Combine(folder, FileName)), PeerWorkload.Json)
        ?? throw new InvalidDataException($"{Path.Combine(folder, FileName)} is empty");

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, PeerWorkload.Json));
        File.WriteAllText(Path.Combine(folder, GrammarFileName), Grammar());
    }

    /// <summary>A synthetic invoice, different per <paramref name="document"/> (seeded) and <paramref name="items"/> lines long.</summary>
    private static string Invoice(int document, int items)
    {
        string[] suppliers = ["Nordwind Bürotechnik GmbH", "Acme Supplies Ltd", "Globex Industrial BV", "Initech Services SARL"];
        string[] products = ["Toner cartridge TN-2420", "Copy paper A4 80 g (500 sheets)", "Ergonomic office chair", "USB-C docking station",
            "Monitor arm, dual", "Whiteboard markers (set of 8)", "Maintenance visit, hourly rate", "Shredder bags (100)"];
        var random = new Random(1000 + document);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            --- page 1 ---
            {suppliers[document % suppliers.Length]} · Hafenstraße {random.Next(1, 99)} · 20457 Hamburg
            Hanse Logistik AG, Accounts Payable, Speicherweg 4, 28195 Bremen
            INVOICE                                   Invoice no. RE-2026-{random.Next(1000, 9999)}
            Date: {random.Next(1, 28):D2}.03.2026    Due: 13.04.2026       Customer no. K-{random.Next(10000, 99999)}
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
            Net amount {subtotal:F2} EUR, VAT 19 % {tax:F2} EUR, Total {subtotal + tax:F2} EUR
            IBAN DE44 5001 0517 5407 3249 31 · BIC INGDDEFFXXX
            """);
        return text.ToString();
    }
}
