using System.Globalization;
using System.Text;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>An 8-bit grey image in binary PGM (P5), the format `pdftoppm -gray` writes and Tesseract reads.</summary>
public sealed record Pgm(int Width, int Height, byte[] Pixels)
{
    /// <summary>The image, or null when the bytes are not an 8-bit P5 PGM of the size its header claims.</summary>
    public static Pgm? Parse(ReadOnlySpan<byte> bytes)
    {
        var fields = new int[3];
        var position = 2;
        if (bytes.Length < 2 || bytes[0] != 'P' || bytes[1] != '5')
        {
            return null;
        }
        for (var i = 0; i < fields.Length; i++)
        {
            while (position < bytes.Length && (char.IsWhiteSpace((char)bytes[position]) || bytes[position] == '#'))
            {
                // Comments run to the end of their line.
                if (bytes[position] == '#')
                {
                    while (position < bytes.Length && bytes[position] != '\n')
                    {
                        position++;
                    }
                }
                position++;
            }
            var start = position;
            while (position < bytes.Length && char.IsAsciiDigit((char)bytes[position]))
            {
                position++;
            }
            if (!int.TryParse(bytes[start..position], NumberStyles.None, CultureInfo.InvariantCulture, out fields[i]))
            {
                return null;
            }
        }
        position++; // the single whitespace byte before the pixels
        var (width, height, maxValue) = (fields[0], fields[1], fields[2]);
        if (width <= 0 || height <= 0 || maxValue is <= 0 or > 255 || (long)width * height != bytes.Length - position)
        {
            return null;
        }
        return new Pgm(width, height, bytes[position..].ToArray());
    }

    public byte[] ToBytes()
    {
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P5\n{Width} {Height}\n255\n"));
        var bytes = new byte[header.Length + Pixels.Length];
        header.CopyTo(bytes, 0);
        Pixels.CopyTo(bytes, header.Length);
        return bytes;
    }

    /// <summary>The image turned clockwise by 90, 180 or 270 degrees.</summary>
    public Pgm RotateClockwise(int degrees)
    {
        var turned = new byte[Pixels.Length];
        switch (degrees)
        {
            case 90:
                // Source row y becomes destination column (Height - 1 - y).
                for (var y = 0; y < Height; y++)
                {
                    for (var x = 0; x < Width; x++)
                    {
                        turned[(x * Height) + (Height - 1 - y)] = Pixels[(y * Width) + x];
                    }
                }
                return new Pgm(Height, Width, turned);
            case 180:
                for (var i = 0; i < Pixels.Length; i++)
                {
                    turned[Pixels.Length - 1 - i] = Pixels[i];
                }
                return new Pgm(Width, Height, turned);
            case 270:
                for (var y = 0; y < Height; y++)
                {
                    for (var x = 0; x < Width; x++)
                    {
                        turned[((Width - 1 - x) * Height) + y] = Pixels[(y * Width) + x];
                    }
                }
                return new Pgm(Height, Width, turned);
            default:
                throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "only 90, 180 and 270 degrees");
        }
    }
}
