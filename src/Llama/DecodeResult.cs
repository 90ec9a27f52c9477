namespace DocExtract.Llama;

/// <summary>
/// What llama_decode returned. llama.h documents the codes in a comment and returns a plain int, so this is no C enum
/// and lives outside the interop namespace, whose enums the ABI test compares with the headers. Below -1 is fatal and
/// stays unnamed; Decoding_an_invalid_batch covers <see cref="InvalidBatch"/>.
/// </summary>
internal enum DecodeResult
{
    InvalidBatch = -1,
    Success = 0,
    NoKvSlot = 1,
    Aborted = 2,
}
