using System.Text;
using System.Xml.Linq;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>
/// Where a value sits in the XML, as an XPath with the document's own prefixes
/// (<c>/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem[2]/…</c>): a
/// position is given where siblings share a name. The evidence of a value read from an attachment (#12).
/// </summary>
public static class XmlPaths
{
    public static string Of(XObject node)
    {
        var steps = new List<string>();
        if (node is XAttribute attribute)
        {
            steps.Add("@" + Name(attribute.Parent, attribute.Name));
            node = attribute.Parent!;
        }
        for (var element = node as XElement; element is not null; element = element.Parent)
        {
            var step = Name(element, element.Name);
            if (element.Parent is { } parent)
            {
                var same = parent.Elements(element.Name).ToList();
                if (same.Count > 1)
                {
                    step += $"[{same.IndexOf(element) + 1}]";
                }
            }
            steps.Add(step);
        }
        steps.Reverse();
        var path = new StringBuilder();
        foreach (var step in steps)
        {
            path.Append('/').Append(step);
        }
        return path.ToString();
    }

    private static string Name(XElement? scope, XName name)
    {
        if (name.Namespace == XNamespace.None)
        {
            return name.LocalName;
        }
        var prefix = scope?.GetPrefixOfNamespace(name.Namespace);
        return string.IsNullOrEmpty(prefix) ? name.LocalName : $"{prefix}:{name.LocalName}";
    }
}
