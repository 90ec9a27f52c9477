using System.Security.Cryptography;

namespace DocExtract.Schemas.Tests.Catalog;

public sealed class A_catalog_over_the_built_in_schemas : IDisposable
{
    private readonly SchemaCatalog _catalog = new(new SchemaCatalogOptions { Folder = TestFiles.SchemasFolder });

    [Fact]
    public async Task Loads_every_type_without_errors()
    {
        var snapshot = await _catalog.GetSnapshotAsync();

        Assert.Empty(snapshot.Errors);
        Assert.Equal(TestFiles.BuiltInTypes, snapshot.Schemas.Select(schema => schema.Name));
    }

    [Theory]
    [MemberData(nameof(TestFiles.BuiltInTypeData), MemberType = typeof(TestFiles))]
    public async Task Versions_each_type_by_the_sha_256_of_its_file(string type)
    {
        var schema = await _catalog.FindAsync(type);

        var bytes = await File.ReadAllBytesAsync(Path.Combine(TestFiles.SchemasFolder, type + ".json"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), schema!.Version);
        Assert.Equal(TestFiles.Schema(type), schema.Json);
        Assert.Equal(GbnfGrammar.FromJsonSchema(schema.Json), schema.Grammar);
    }

    [Fact]
    public async Task Reads_title_and_description_from_the_schema()
    {
        var invoice = await _catalog.FindAsync("invoice");

        Assert.Equal("Invoice", invoice!.Title);
        Assert.StartsWith("A bill from a seller to a buyer", invoice.Description);
        Assert.Equal("object", invoice.Root.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("Invoice")]
    [InlineData("purchase-order")]
    public async Task Finds_nothing_for_other_names(string name) => Assert.Null(await _catalog.FindAsync(name));

    [Fact]
    public void Refuses_a_folder_that_does_not_exist() =>
        Assert.Throws<DirectoryNotFoundException>(() => new SchemaCatalog(new SchemaCatalogOptions { Folder = "/nonexistent/schemas" }));

    public void Dispose() => _catalog.Dispose();
}
