using System.Globalization;
using System.Security;
using System.Text;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>
/// A thumbnail the app draws itself for creatives without a Meta preview (the demo store): the ad's initials on a
/// colour derived from its name, with the format and headline, as SVG. Nothing is fetched, so it works offline.
/// </summary>
public static class CreativeThumbnail
{
    public const int Size = 240;

    /// <summary>Hues chosen so white text on them keeps at least 4.5:1 contrast.</summary>
    private static readonly string[] Backgrounds = ["#1F5F8B", "#7A3E9D", "#2E6B3A", "#9C3D2E", "#5B4A9E", "#8A4B08", "#0F6466", "#8E2A5C"];

    public static string Path(long adId) => $"/api/creatives/{adId.ToString(CultureInfo.InvariantCulture)}/thumbnail.svg";

    public static string Render(string adName, AdCreative? creative)
    {
        var background = Backgrounds[(int)(StableHash(adName) % (uint)Backgrounds.Length)];
        var initials = Initials(adName);
        var format = (creative?.Format ?? CreativeFormats.Image).ToUpperInvariant();
        var headline = creative?.Headline ?? adName;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Size}\" height=\"{Size}\" viewBox=\"0 0 {Size} {Size}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(adName)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Size}\" height=\"{Size}\" fill=\"{background}\"/>");
        svg.Append("<text x=\"120\" y=\"118\" text-anchor=\"middle\" font-family=\"system-ui,sans-serif\" font-size=\"72\" font-weight=\"700\" fill=\"#FFFFFF\">")
            .Append(Escape(initials)).Append("</text>");
        if (creative?.Format == CreativeFormats.Video)
        {
            svg.Append("<circle cx=\"206\" cy=\"34\" r=\"18\" fill=\"#FFFFFF\" fill-opacity=\"0.9\"/><path d=\"M200 25 L215 34 L200 43 Z\" fill=\"#1A1A1A\"/>");
        }
        svg.Append("<text x=\"16\" y=\"30\" font-family=\"system-ui,sans-serif\" font-size=\"13\" font-weight=\"600\" fill=\"#FFFFFF\">")
            .Append(Escape(format)).Append("</text>");
        svg.Append("<text x=\"120\" y=\"196\" text-anchor=\"middle\" font-family=\"system-ui,sans-serif\" font-size=\"14\" fill=\"#FFFFFF\">")
            .Append(Escape(Shorten(headline, 30))).Append("</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>First letters of the first two words of the ad's theme (the part before the first "|").</summary>
    private static string Initials(string adName)
    {
        var words = adName.Split('|')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => char.IsLetterOrDigit(w[0])).Take(2);
        var initials = string.Concat(words.Select(w => char.ToUpperInvariant(w[0])));
        return initials.Length > 0 ? initials : "AD";
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    private static string Escape(string text) => SecurityElement.Escape(text);

    /// <summary>FNV-1a: string.GetHashCode changes per process, and a thumbnail's colour must not.</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
