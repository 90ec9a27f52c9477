namespace DocExtract.Schemas.Tests.Catalog;

public sealed class A_broken_schema_file : IDisposable
{
    private const string Valid = """
        { "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "T", "description": "D", "type": "object", "properties": {} }
        """;

    private readonly SchemaFolder _folder = new("invoice");

    public static TheoryData<string, string, string> Cases => new()
    {
        { "truncated.json", """{ "title": "T", """, "is not valid JSON" },
        { "Invoice2.json", Valid, "'Invoice2' is not a valid name" },
        { "auto.json", Valid, "'auto' is reserved" },
        { "-lead.json", Valid, "is not a valid name" },
        { "patterned.json", Valid.Replace("\"properties\": {}", "\"properties\": { \"x\": { \"type\": \"string\", \"pattern\": \"^a\" } }", StringComparison.Ordinal), "'pattern' at #/properties/x" },
        { "untitled.json", Valid.Replace("\"title\": \"T\", ", "", StringComparison.Ordinal), "has no \"title\"" },
        { "list.json", Valid.Replace("\"type\": \"object\"", "\"type\": \"array\"", StringComparison.Ordinal), "the root must be \"type\": \"object\"" },
        { "draft7.json", Valid.Replace("https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#", StringComparison.Ordinal), "only draft 2020-12" },
        { "dangling.json", Valid.Replace("\"properties\": {}", "\"properties\": { \"x\": { \"$ref\": \"#/$defs/nope\" } }", StringComparison.Ordinal), "does not point to a schema" },
        { "twice.json", Valid.Replace("\"title\": \"T\"", "\"title\": \"T\", \"title\": \"U\"", StringComparison.Ordinal), "is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Is_reported_with_its_reason_while_the_others_load(string fileName, string text, string reason)
    {
        _folder.Write(fileName, text);
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = _folder.Path });

        var snapshot = await catalog.GetSnapshotAsync();

        var error = Assert.Single(snapshot.Errors);
        Assert.Equal(fileName, error.FileName);
        Assert.Contains(reason, error.Reason);
        Assert.Equal(["invoice"], snapshot.Schemas.Select(schema => schema.Name));
    }

    [Fact]
    public async Task Is_loaded_once_it_is_fixed()
    {
        _folder.Write("memo.json", """{ "title": """);
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = _folder.Path });
        Assert.Single((await catalog.GetSnapshotAsync()).Errors);

        _folder.Write("memo.json", Valid);

        var snapshot = await catalog.GetSnapshotAsync();
        Assert.Empty(snapshot.Errors);
        Assert.NotNull(snapshot.Find("memo"));
    }

    public void Dispose() => _folder.Dispose();
}
