using System.Xml;
using System.Xml.Linq;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>
/// Reads untrusted XML (issue #12): no DTD (a DOCTYPE is an error, so no entity expansion and no external entities),
/// no resolver, a cap on characters and on nesting depth. The tree is built here, element by element, so the depth
/// limit holds before anything deeper is kept.
/// </summary>
public static class SafeXml
{
    public static XDocument Load(byte[] bytes, long maxCharacters, int maxDepth)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = true,
        };
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
        XElement? root = null;
        var open = new Stack<XElement>();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth >= maxDepth)
                    {
                        throw new XmlException($"the XML nests deeper than {maxDepth} levels (EmbeddedInvoices:MaxXmlDepth)");
                    }
                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            // Namespace declarations are kept too: they give the prefixes of the paths reported as evidence.
                            var name = reader.Prefix == "xmlns" ? XNamespace.Xmlns + reader.LocalName
                                : reader.Name == "xmlns" ? XName.Get("xmlns")
                                : XName.Get(reader.LocalName, reader.NamespaceURI);
                            element.Add(new XAttribute(name, reader.Value));
                        }
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    if (open.TryPeek(out var parent))
                    {
                        parent.Add(element);
                    }
                    else
                    {
                        root = element;
                    }
                    if (!reader.IsEmptyElement)
                    {
                        open.Push(element);
                    }
                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    open.Peek().Add(new XText(reader.Value));
                    break;
            }
        }
        return new XDocument(root ?? throw new XmlException("the XML has no root element"));
    }
}
