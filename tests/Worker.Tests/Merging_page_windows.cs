using System.Text.Json;
using DocExtract.Pipeline.Extraction;

namespace DocExtract.Worker.Tests;

public sealed class Merging_page_windows
{
    private static WindowAnswer Answer(string json, params (string Pointer, double Confidence)[] confidences)
    {
        var data = JsonDocument.Parse(json).RootElement.Clone();
        var given = confidences.ToDictionary(c => c.Pointer, c => c.Confidence);
        var values = FieldConfidence.LeafSpans(System.Text.Encoding.UTF8.GetBytes(json))
            .Select(s => new ScoredValue(s.Pointer, FieldConfidence.Resolve(data, s.Pointer).Clone(), given.GetValueOrDefault(s.Pointer, 0.5), 1))
            .ToList();
        return new WindowAnswer(data, values);
    }

    [Fact]
    public void A_scalar_comes_from_the_most_confident_window_with_its_confidence()
    {
        var (data, values) = WindowMerger.Merge([
            Answer("""{"total":100,"number":"A-1"}""", ("/total", 0.3), ("/number", 0.9)),
            Answer("""{"total":631.2,"number":"B-2"}""", ("/total", 0.8), ("/number", 0.2)),
        ]);

        Assert.Equal("""{"total":631.2,"number":"A-1"}""", data.GetRawText());
        var byPointer = values.ToDictionary(v => v.Pointer);
        Assert.Equal(0.8, byPointer["/total"].Confidence);
        Assert.Equal(0.9, byPointer["/number"].Confidence);
        Assert.Equal(631.2m, byPointer["/total"].Value.GetDecimal());
    }

    [Fact]
    public void A_value_beats_a_null_however_sure_the_null_was()
    {
        var (data, _) = WindowMerger.Merge([
            Answer("""{"due":null}""", ("/due", 0.99)),
            Answer("""{"due":"2026-04-01"}""", ("/due", 0.2)),
        ]);

        Assert.Equal("""{"due":"2026-04-01"}""", data.GetRawText());
    }

    [Fact]
    public void Arrays_are_concatenated_without_duplicates_and_their_items_renumbered()
    {
        var (data, values) = WindowMerger.Merge([
            Answer("""{"lines":[{"d":"a","n":1},{"d":"b","n":2}]}""", ("/lines/1/d", 0.7)),
            Answer("""{"lines":[{"d":"b","n":2},{"d":"c","n":3}]}""", ("/lines/1/d", 0.6)),
            Answer("""{"lines":[]}"""),
        ]);

        Assert.Equal("""{"lines":[{"d":"a","n":1},{"d":"b","n":2},{"d":"c","n":3}]}""", data.GetRawText());
        var byPointer = values.ToDictionary(v => v.Pointer);
        Assert.Equal(["/lines/0/d", "/lines/0/n", "/lines/1/d", "/lines/1/n", "/lines/2/d", "/lines/2/n"], values.Select(v => v.Pointer));
        Assert.Equal(0.7, byPointer["/lines/1/d"].Confidence);
        Assert.Equal(0.6, byPointer["/lines/2/d"].Confidence);
        Assert.Equal("c", byPointer["/lines/2/d"].Value.GetString());
    }

    [Fact]
    public void Nested_objects_merge_property_by_property()
    {
        var (data, _) = WindowMerger.Merge([
            Answer("""{"seller":{"name":"Acme","vat":null}}""", ("/seller/name", 0.9)),
            Answer("""{"seller":{"name":"Acne","vat":"GB123"}}""", ("/seller/name", 0.4)),
        ]);

        Assert.Equal("""{"seller":{"name":"Acme","vat":"GB123"}}""", data.GetRawText());
    }
}
