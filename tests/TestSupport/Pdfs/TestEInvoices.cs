using System.Text;

namespace DocExtract.TestSupport.Pdfs;

/// <summary>
/// Hybrid e-invoices made here (#12): a page drawn by <see cref="TestPdfs"/> and a Factur-X EN 16931 CII XML attached
/// as factur-x.xml. One line of 445.27 at 19 % VAT: 84.60 tax, 529.87 total. <paramref name="printedTotal"/> is what
/// the page prints as the total, so a test can make the page and the XML disagree.
/// </summary>
public static class TestEInvoices
{
    public const string Number = "RE-2026-0815";

    public static byte[] Hybrid(string printedTotal = "529,87") => TestPdfAttachments.WithAttachments(
        [Page(printedTotal)], ("factur-x.xml", Encoding.UTF8.GetBytes(Cii())));

    /// <summary>The same invoice with its XML in UBL 2.1 (as XRechnung UBL), attached as xrechnung.xml.</summary>
    public static byte[] HybridUbl() => TestPdfAttachments.WithAttachments([Page("529,87")], ("xrechnung.xml", Encoding.UTF8.GetBytes(Ubl())));

    public static string Page(string printedTotal) =>
        $"RECHNUNG {Number}\nDatum: 02.03.2026\nKrueger IT-Service GmbH, Lindenallee 14, 50968 Koeln, USt-IdNr. DE812345673\n" +
        "An: Kanzlei Berg, Theatinerstrasse 8, 80333 Muenchen\n" +
        "Pos 1  IT-Betreuung Maerz  1 Monat  445,27  445,27\n" +
        $"Netto 445,27   USt 19 % 84,60   Gesamtbetrag {printedTotal} EUR";

    public static string Cii() => """
        <?xml version="1.0" encoding="UTF-8"?>
        <rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
            xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
            xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
          <rsm:ExchangedDocumentContext>
            <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
          </rsm:ExchangedDocumentContext>
          <rsm:ExchangedDocument>
            <ram:ID>RE-2026-0815</ram:ID>
            <ram:TypeCode>380</ram:TypeCode>
            <ram:IssueDateTime><udt:DateTimeString format="102">20260302</udt:DateTimeString></ram:IssueDateTime>
          </rsm:ExchangedDocument>
          <rsm:SupplyChainTradeTransaction>
            <ram:IncludedSupplyChainTradeLineItem>
              <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
              <ram:SpecifiedTradeProduct><ram:Name>IT-Betreuung Maerz</ram:Name></ram:SpecifiedTradeProduct>
              <ram:SpecifiedLineTradeAgreement>
                <ram:NetPriceProductTradePrice><ram:ChargeAmount>445.27</ram:ChargeAmount></ram:NetPriceProductTradePrice>
              </ram:SpecifiedLineTradeAgreement>
              <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="MON">1</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
              <ram:SpecifiedLineTradeSettlement>
                <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
                <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>445.27</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
              </ram:SpecifiedLineTradeSettlement>
            </ram:IncludedSupplyChainTradeLineItem>
            <ram:ApplicableHeaderTradeAgreement>
              <ram:SellerTradeParty>
                <ram:Name>Krueger IT-Service GmbH</ram:Name>
                <ram:PostalTradeAddress><ram:PostcodeCode>50968</ram:PostcodeCode><ram:LineOne>Lindenallee 14</ram:LineOne><ram:CityName>Koeln</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
                <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE812345673</ram:ID></ram:SpecifiedTaxRegistration>
              </ram:SellerTradeParty>
              <ram:BuyerTradeParty>
                <ram:Name>Kanzlei Berg</ram:Name>
                <ram:PostalTradeAddress><ram:PostcodeCode>80333</ram:PostcodeCode><ram:LineOne>Theatinerstrasse 8</ram:LineOne><ram:CityName>Muenchen</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
              </ram:BuyerTradeParty>
            </ram:ApplicableHeaderTradeAgreement>
            <ram:ApplicableHeaderTradeDelivery/>
            <ram:ApplicableHeaderTradeSettlement>
              <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
              <ram:ApplicableTradeTax>
                <ram:CalculatedAmount>84.60</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>445.27</ram:BasisAmount>
                <ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19</ram:RateApplicablePercent>
              </ram:ApplicableTradeTax>
              <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
                <ram:LineTotalAmount>445.27</ram:LineTotalAmount>
                <ram:TaxBasisTotalAmount>445.27</ram:TaxBasisTotalAmount>
                <ram:TaxTotalAmount currencyID="EUR">84.60</ram:TaxTotalAmount>
                <ram:GrandTotalAmount>529.87</ram:GrandTotalAmount>
                <ram:DuePayableAmount>529.87</ram:DuePayableAmount>
              </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
            </ram:ApplicableHeaderTradeSettlement>
          </rsm:SupplyChainTradeTransaction>
        </rsm:CrossIndustryInvoice>
        """;

    public static string Ubl() => """
        <?xml version="1.0" encoding="UTF-8"?>
        <ubl:Invoice xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
            xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
            xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
          <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
          <cbc:ID>RE-2026-0815</cbc:ID>
          <cbc:IssueDate>2026-03-02</cbc:IssueDate>
          <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
          <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
          <cac:AccountingSupplierParty>
            <cac:Party>
              <cac:PostalAddress>
                <cbc:StreetName>Lindenallee 14</cbc:StreetName><cbc:CityName>Koeln</cbc:CityName><cbc:PostalZone>50968</cbc:PostalZone>
                <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
              </cac:PostalAddress>
              <cac:PartyTaxScheme><cbc:CompanyID>DE812345673</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
              <cac:PartyLegalEntity><cbc:RegistrationName>Krueger IT-Service GmbH</cbc:RegistrationName></cac:PartyLegalEntity>
            </cac:Party>
          </cac:AccountingSupplierParty>
          <cac:AccountingCustomerParty>
            <cac:Party>
              <cac:PostalAddress>
                <cbc:StreetName>Theatinerstrasse 8</cbc:StreetName><cbc:CityName>Muenchen</cbc:CityName><cbc:PostalZone>80333</cbc:PostalZone>
                <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
              </cac:PostalAddress>
              <cac:PartyLegalEntity><cbc:RegistrationName>Kanzlei Berg</cbc:RegistrationName></cac:PartyLegalEntity>
            </cac:Party>
          </cac:AccountingCustomerParty>
          <cac:TaxTotal>
            <cbc:TaxAmount currencyID="EUR">84.60</cbc:TaxAmount>
            <cac:TaxSubtotal>
              <cbc:TaxableAmount currencyID="EUR">445.27</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">84.60</cbc:TaxAmount>
              <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
            </cac:TaxSubtotal>
          </cac:TaxTotal>
          <cac:LegalMonetaryTotal>
            <cbc:LineExtensionAmount currencyID="EUR">445.27</cbc:LineExtensionAmount>
            <cbc:TaxExclusiveAmount currencyID="EUR">445.27</cbc:TaxExclusiveAmount>
            <cbc:TaxInclusiveAmount currencyID="EUR">529.87</cbc:TaxInclusiveAmount>
            <cbc:PayableAmount currencyID="EUR">529.87</cbc:PayableAmount>
          </cac:LegalMonetaryTotal>
          <cac:InvoiceLine>
            <cbc:ID>1</cbc:ID>
            <cbc:InvoicedQuantity unitCode="MON">1</cbc:InvoicedQuantity>
            <cbc:LineExtensionAmount currencyID="EUR">445.27</cbc:LineExtensionAmount>
            <cac:Item>
              <cbc:Name>IT-Betreuung Maerz</cbc:Name>
              <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
            </cac:Item>
            <cac:Price><cbc:PriceAmount currencyID="EUR">445.27</cbc:PriceAmount></cac:Price>
          </cac:InvoiceLine>
        </ubl:Invoice>
        """;
}
