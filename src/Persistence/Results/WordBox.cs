using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DocExtract.Persistence.Results;

/// <summary>
/// One word of a page (#13): its span [Start, End) in the page's text (<see cref="PageText.Text"/>) and its box on the
/// page as pdftoppm renders it (/Rotate applied), normalised to 0-1 from the top-left corner, to 4 decimals. Written
/// as the array [start, end, x0, y0, x1, y1] (<see cref="Converter"/>): a page holds hundreds of them.
/// </summary>
[JsonConverter(typeof(Converter))]
public sealed record WordBox(int Start, int End, double X0, double Y0, double X1, double Y1)
{
    /// <summary>A word's box read off a tool (pdftotext, Tesseract), already in the rendered page's 0-1 frame, not yet placed in the text.</summary>
    public sealed record Found(string Text, double X0, double Y0, double X1, double Y1);

    public static WordBox At(int start, int end, Found box) => new(start, end, Round(box.X0), Round(box.Y0), Round(box.X1), Round(box.Y1));

    private static double Round(double value) => Math.Round(Math.Clamp(value, 0, 1), 4);

    public sealed class Converter : JsonConverter<WordBox>
    {
        public override WordBox Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var values = JsonSerializer.Deserialize<double[]>(ref reader, options);
            if (values is not { Length: 6 })
            {
                throw new JsonException("a word is the array [start, end, x0, y0, x1, y1]");
            }
            return new WordBox((int)values[0], (int)values[1], values[2], values[3], values[4], values[5]);
        }

        public override void Write(Utf8JsonWriter writer, WordBox value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(value.Start);
            writer.WriteNumberValue(value.End);
            writer.WriteNumberValue(value.X0);
            writer.WriteNumberValue(value.Y0);
            writer.WriteNumberValue(value.X1);
            writer.WriteNumberValue(value.Y1);
            writer.WriteEndArray();
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Start}, {End}, {X0}, {Y0}, {X1}, {Y1}]");
}

/// <summary>A box on one page, normalised to 0-1 from the top-left corner of the page as pdftoppm renders it.</summary>
public sealed record PageBox(int Page, double X0, double Y0, double X1, double Y1);
