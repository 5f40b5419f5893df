using PdfSharp.Fonts;

namespace AdIntel.Web.Reports.Export;

/// <summary>
/// PDFsharp's fonts: Liberation Sans regular and bold (SIL OFL 1.1, <c>Fonts/LICENSE.txt</c>), bundled in the assembly so
/// the PDF looks the same on every machine and needs no system fonts. Every family name maps to it (Liberation Sans is
/// metric-compatible with Arial); italics fall back to the upright faces.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "Liberation Sans";
    private const string Regular = "LiberationSans-Regular";
    private const string Bold = "LiberationSans-Bold";

    private static readonly Lock Gate = new();

    /// <summary>Installs the resolver once per process (PDFsharp's setting is global).</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not PdfFonts)
            {
                GlobalFontSettings.FontResolver = new PdfFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? Bold : Regular);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream($"AdIntel.Web.Reports.Export.Fonts.{faceName}.ttf");
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
