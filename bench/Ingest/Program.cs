using DocExtract.Bench.Ingest;

// Issue #4's benchmarks: pages per second of the text layer and of OCR over the corpus, and the watched folder's
// time from files landing to their documents being queued. Prints figures; never passes or fails on time.
return args switch
{
    ["text", .. var rest] => await TextBench.RunAsync(rest),
    ["watched", .. var rest] => await WatchedFolderBench.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        usage: DocExtract.Bench.Ingest text [--rounds N] [--dpi N]
               DocExtract.Bench.Ingest watched [--files N]
        text     every readable corpus PDF through the worker's extractor, one at a time: pages/s of the
                 text layer (digital PDFs) and of OCR (the scans), over N rounds (default 3)
        watched  N distinct PDFs (default 500) dropped at once into a real API's watched folder: time from the
                 drop until each document's row and command are committed (its created_at)
        """);
    return 2;
}
