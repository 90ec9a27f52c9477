using System.Text;
using System.Xml;
using DocExtract.Pipeline.EmbeddedInvoices;

namespace DocExtract.Worker.Tests;

/// <summary>An e-invoice's XML is as hostile as its PDF (#12): no DTD, no entities, bounded size and depth.</summary>
public sealed class Reading_untrusted_xml
{
    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_naming_the_setting()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 65)) + string.Concat(Enumerable.Repeat("</a>", 65));

        var error = Assert.Throws<XmlException>(() => SafeXml.Load(Encoding.UTF8.GetBytes(deep), 1_000_000, maxDepth: 64));

        Assert.Equal("the XML nests deeper than 64 levels (EmbeddedInvoices:MaxXmlDepth)", error.Message);
        Assert.NotNull(SafeXml.Load(Encoding.UTF8.GetBytes(deep), 1_000_000, maxDepth: 65).Root);
    }

    [Fact]
    public void An_external_entity_is_never_resolved()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "SECRET");
        var xxe = $"<!DOCTYPE x [<!ENTITY e SYSTEM \"file://{secret}\">]><x>&e;</x>";

        Assert.Throws<XmlException>(() => SafeXml.Load(Encoding.UTF8.GetBytes(xxe), 1_000_000, 64));
        File.Delete(secret);
    }

    [Fact]
    public void More_characters_than_the_limit_are_refused()
    {
        var big = "<a>" + new string('x', 5000) + "</a>";

        Assert.Throws<XmlException>(() => SafeXml.Load(Encoding.UTF8.GetBytes(big), 1000, 64));
        Assert.Equal(5000, SafeXml.Load(Encoding.UTF8.GetBytes(big), 10_000, 64).Root!.Value.Length);
    }
}
