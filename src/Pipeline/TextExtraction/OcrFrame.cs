using System.Globalization;
using DocExtract.Persistence.Results;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// Tesseract's word boxes, in pixels of the image it read, carried back to the page as pdftoppm rendered it (#13):
/// the review screen shows that rendering, while Tesseract read it turned upright (OSD) and straightened (deskew).
/// Each corner of a box is taken back through the straightening (ImageMagick turns the image about its centre and
/// widens the canvas to hold it, so the way back turns about the wider canvas's centre by the opposite angle) and the
/// turn, and the box is the bounding box of the four: a small skew makes it a little larger, never misplaced.
/// </summary>
public static class OcrFrame
{
    /// <summary>The words (TSV level 5 rows with text) of a Tesseract TSV of <paramref name="page"/>'s image, in the rendered page's 0-1 frame.</summary>
    public static IReadOnlyList<WordBox.Found> Words(string tsv, PageOcr.Prepared page)
    {
        if (page.Width <= 0 || page.Height <= 0)
        {
            return [];
        }
        var words = new List<WordBox.Found>();
        // level page_num block_num par_num line_num word_num left top width height conf text
        foreach (var line in tsv.Split('\n').Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 12 || f[0] != "5" || f[11].Trim().Length == 0 ||
                !int.TryParse(f[6], CultureInfo.InvariantCulture, out var left) || !int.TryParse(f[7], CultureInfo.InvariantCulture, out var top) ||
                !int.TryParse(f[8], CultureInfo.InvariantCulture, out var width) || !int.TryParse(f[9], CultureInfo.InvariantCulture, out var height))
            {
                continue;
            }
            words.Add(ToRendered(page, f[11].Trim(), left, top, left + width, top + height));
        }
        return words;
    }

    /// <summary>A box in pixels of the image Tesseract read, as a box in the rendered page's 0-1 frame.</summary>
    public static WordBox.Found ToRendered(PageOcr.Prepared page, string text, double x0, double y0, double x1, double y1)
    {
        var (minX, minY, maxX, maxY) = (double.MaxValue, double.MaxValue, double.MinValue, double.MinValue);
        foreach (var (x, y) in (ReadOnlySpan<(double, double)>)[(x0, y0), (x1, y0), (x0, y1), (x1, y1)])
        {
            var (rx, ry) = Unturn(page, Unskew(page, x, y));
            (minX, minY, maxX, maxY) = (Math.Min(minX, rx), Math.Min(minY, ry), Math.Max(maxX, rx), Math.Max(maxY, ry));
        }
        return new WordBox.Found(text, minX / page.Width, minY / page.Height, maxX / page.Width, maxY / page.Height);
    }

    // From the straightened image to the upright one. ImageMagick reports the angle it turned the page back by
    // (positive: clockwise on screen), so the way back turns by its opposite about the centres.
    private static (double X, double Y) Unskew(PageOcr.Prepared page, double x, double y)
    {
        if (page.Skew is not { Applied: true, Width: > 0, Height: > 0 } skew)
        {
            return (x, y);
        }
        var (uprightWidth, uprightHeight) = page.Orientation.Applied && page.Orientation.Rotation % 180 == 90
            ? (page.Height, page.Width)
            : (page.Width, page.Height);
        var angle = -skew.Degrees * Math.PI / 180;
        var (dx, dy) = (x - (skew.Width / 2.0), y - (skew.Height / 2.0));
        return ((dx * Math.Cos(angle)) - (dy * Math.Sin(angle)) + (uprightWidth / 2.0), (dx * Math.Sin(angle)) + (dy * Math.Cos(angle)) + (uprightHeight / 2.0));
    }

    // From the upright image to the rendered one: the inverse of Pgm.RotateClockwise.
    private static (double X, double Y) Unturn(PageOcr.Prepared page, (double X, double Y) point)
    {
        var (x, y) = point;
        return !page.Orientation.Applied ? (x, y) : page.Orientation.Rotation switch
        {
            90 => (y, page.Height - x),
            180 => (page.Width - x, page.Height - y),
            270 => (page.Width - y, x),
            _ => (x, y),
        };
    }
}
