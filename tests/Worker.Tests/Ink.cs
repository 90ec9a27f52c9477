using System.Diagnostics;
using System.Globalization;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.TextExtraction;

namespace DocExtract.Worker.Tests;

/// <summary>
/// A page as the review screen shows it (pdftoppm, /Rotate applied), to check word boxes against the ink they should
/// hold (#13): a box in the wrong frame lands on blank paper or on the wrong text.
/// </summary>
internal static class Ink
{
    // Anything darker than near-white paper: grey labels are ink too.
    private const byte Paper = 200;

    public static async Task<Pgm> RenderAsync(string pdf, int page = 1, int dpi = 100)
    {
        var number = page.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("pdftoppm", ["-r", dpi.ToString(CultureInfo.InvariantCulture), "-gray", "-f", number, "-l", number, pdf])
        {
            RedirectStandardOutput = true,
        };
        using var render = Process.Start(start)!;
        using var image = new MemoryStream();
        await render.StandardOutput.BaseStream.CopyToAsync(image);
        await render.WaitForExitAsync();
        return Pgm.Parse(image.ToArray()) ?? throw new InvalidDataException($"pdftoppm rendered no image of {pdf}");
    }

    /// <summary>
    /// Whether the box holds ink spread over it: the dark pixels inside reach across a third of its width and height at
    /// least, and half of one of them (a word's box is its font's height, taller than most of its letters).
    /// </summary>
    public static bool Fills(Pgm image, double x0, double y0, double x1, double y1)
    {
        var (left, top, right, bottom) = Pixels(image, x0, y0, x1, y1);
        var (minX, minY, maxX, maxY) = (int.MaxValue, int.MaxValue, -1, -1);
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                if (image.Pixels[(y * image.Width) + x] < Paper)
                {
                    (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                }
            }
        }
        if (maxX < 0)
        {
            return false;
        }
        // A third of the box's width and height at least, half of one of them (along the line, whichever way it runs).
        var (wide, high) = ((maxX - minX + 1.0) / (right - left), (maxY - minY + 1.0) / (bottom - top));
        return Math.Min(wide, high) >= 1 / 3.0 && Math.Max(wide, high) >= 0.5;
    }

    public static bool Fills(Pgm image, WordBox word) => Fills(image, word.X0, word.Y0, word.X1, word.Y1);

    private static (int Left, int Top, int Right, int Bottom) Pixels(Pgm image, double x0, double y0, double x1, double y1) => (
        Math.Clamp((int)Math.Floor(x0 * image.Width), 0, image.Width - 1), Math.Clamp((int)Math.Floor(y0 * image.Height), 0, image.Height - 1),
        Math.Clamp((int)Math.Ceiling(x1 * image.Width), 1, image.Width), Math.Clamp((int)Math.Ceiling(y1 * image.Height), 1, image.Height));
}
