using PdfSharp.Drawing;

namespace AdIntel.Web.Reports.Export;

/// <summary>
/// How a PDF table fits its page without cutting a value: numbers, dates and money keep one line at the width of their
/// widest value; text columns (ad names, fatigue reasons, sources) wrap at spaces, and a word wider than its column breaks
/// between letters. A table too wide for the page at 7.5 pt is set in a smaller type (down to 5 pt) before text columns
/// get narrower than their longest word. Headers wrap too, on as many lines as they need.
/// </summary>
public sealed class PdfTableLayout
{
    public const double LargestFontSize = 7.5;
    public const double SmallestFontSize = 5;
    /// <summary>Room left and right of a cell's text (half each side).</summary>
    public const double Padding = 6;
    /// <summary>A text column wider than this at full size wraps instead of taking the page from the numbers.</summary>
    private const double LongestTextColumn = 180;
    /// <summary>A text column may be squeezed to this before the type gets smaller (a long word then wraps by letter).</summary>
    private const double NarrowestTextColumn = 60;

    /// <summary>Measuring the same text at a scaled size may differ in the last bits; a value measured to fit does fit.</summary>
    private const double Tolerance = 0.01;

    private readonly XGraphics _measure;

    private PdfTableLayout(XGraphics measure, double fontSize, double[] widths, IReadOnlyList<string>[] header)
    {
        _measure = measure;
        FontSize = fontSize;
        Widths = widths;
        Header = header;
        Font = new XFont(PdfFonts.Family, fontSize, XFontStyleEx.Regular);
        BoldFont = new XFont(PdfFonts.Family, fontSize, XFontStyleEx.Bold);
    }

    public double FontSize { get; }
    public XFont Font { get; }
    public XFont BoldFont { get; }
    /// <summary>Each column's width in points, padding included; they add up to the table's width.</summary>
    public IReadOnlyList<double> Widths { get; }
    /// <summary>Each column's header, wrapped.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Header { get; }
    public double LineHeight => FontSize * 1.25;
    public double HeaderHeight => Header.Max(lines => lines.Count) * LineHeight + 8;

    /// <summary>The lines a cell's text is drawn on, every one within its column (numbers always on one).</summary>
    public IReadOnlyList<string> Lines(int column, string text, bool bold) =>
        Wrap(_measure, text, bold ? BoldFont : Font, Widths[column] - Padding);

    public double RowHeight(int lines) => Math.Max(15, lines * LineHeight + 5);

    /// <param name="measure">Any graphics of the document (or a measure context) to measure text with.</param>
    /// <param name="texts">The section's cells as they will be shown, totals row included.</param>
    public static PdfTableLayout Fit(XGraphics measure, ReportSection section, IReadOnlyList<IReadOnlyList<string>> texts, double width)
    {
        var bold = new XFont(PdfFonts.Family, LargestFontSize, XFontStyleEx.Bold);
        var columns = section.Columns;
        double Measure(string text) => measure.MeasureString(text, bold).Width;
        IEnumerable<string> Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var isText = columns.Select(c => c.Kind == ColumnKind.Text).ToArray();
        // Numbers need their widest value; text columns would like theirs (within reason) and need at least their longest word.
        var natural = new double[columns.Count];
        var whole = new double[columns.Count];
        var minimum = new double[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var headerWord = Words(columns[c].Header).Select(Measure).DefaultIfEmpty(0).Max();
            var widest = texts.Select(row => Measure(row[c])).DefaultIfEmpty(0).Max();
            if (isText[c])
            {
                var longestWord = texts.SelectMany(row => Words(row[c])).Select(Measure).DefaultIfEmpty(0).Max();
                natural[c] = Math.Max(headerWord, Math.Min(widest, LongestTextColumn));
                whole[c] = Math.Min(natural[c], Math.Max(headerWord, longestWord));
                minimum[c] = Math.Min(whole[c], Math.Max(headerWord, NarrowestTextColumn));
            }
            else
            {
                natural[c] = whole[c] = minimum[c] = Math.Max(headerWord, widest);
            }
        }

        // Text shrinks with the type; the padding around it does not.
        var room = width - Padding * columns.Count;
        var scale = Math.Clamp(room / minimum.Sum(), SmallestFontSize / LargestFontSize, 1);
        var widths = minimum.Select(m => m * scale).ToArray();
        var spare = room - widths.Sum();
        if (spare < 0)
        {
            // Even the smallest type leaves no room for every word whole: the numbers keep theirs, the text columns share the rest.
            var numbers = widths.Where((_, c) => !isText[c]).Sum();
            var textMinimum = minimum.Where((_, c) => isText[c]).Sum();
            for (var c = 0; c < widths.Length; c++)
            {
                if (isText[c])
                {
                    widths[c] = Math.Max(0, room - numbers) * minimum[c] / textMinimum;
                }
            }
        }
        else
        {
            // Text columns grow to hold their longest word (an ID never breaks while there is room), then towards
            // their natural width; what is left goes to every column by its weight.
            foreach (var target in new[] { whole, natural })
            {
                var wanted = target.Select((t, c) => Math.Max(0, t * scale - widths[c])).ToArray();
                var grow = wanted.Sum() == 0 ? 0 : Math.Min(1, (room - widths.Sum()) / wanted.Sum());
                for (var c = 0; c < widths.Length; c++)
                {
                    widths[c] += wanted[c] * grow;
                }
            }
            spare = room - widths.Sum();
            var weights = columns.Sum(c => c.Width);
            for (var c = 0; c < widths.Length; c++)
            {
                widths[c] += spare * columns[c].Width / weights;
            }
        }

        var fontSize = LargestFontSize * scale;
        var headerFont = new XFont(PdfFonts.Family, fontSize, XFontStyleEx.Bold);
        var padded = widths.Select(w => w + Padding).ToArray();
        var header = columns.Select((column, c) => Wrap(measure, column.Header, headerFont, widths[c])).ToArray();
        return new PdfTableLayout(measure, fontSize, padded, header);
    }

    /// <summary>Lines of at most <paramref name="width"/>: breaks at spaces, and inside a word only when the word alone is wider.</summary>
    public static IReadOnlyList<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (gfx.MeasureString(candidate, font).Width <= width + Tolerance)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0)
            {
                lines.Add(line);
            }
            line = word;
            // A word wider than the column is broken between letters, never cut.
            while (line.Length > 1 && gfx.MeasureString(line, font).Width > width + Tolerance)
            {
                var fits = 1;
                while (fits < line.Length - 1 && gfx.MeasureString(line[..(fits + 1)], font).Width <= width + Tolerance)
                {
                    fits++;
                }
                lines.Add(line[..fits]);
                line = line[fits..];
            }
        }
        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line);
        }
        return lines;
    }
}
