namespace AdIntel.Web.Domain;

/// <summary>
/// What an ad shows: its copy, call to action, format, preview and destination, one per ad. Synced from Meta's ad
/// creative (copy taken from the dynamic creative's asset feed first, then the story spec, then the top level) or
/// generated with the demo store. Every text is optional: Meta omits what a creative does not use.
/// </summary>
public sealed class AdCreative : IStoreOwned
{
    public const int MaxTextLength = 2000;
    public const int MaxUrlLength = 2000;

    public long Id { get; set; }
    public long StoreId { get; set; }
    public long AdId { get; set; }
    /// <summary>Meta's creative id; null for a generated (demo) creative.</summary>
    public string? ExternalId { get; set; }
    public string? PrimaryText { get; set; }
    public string? Headline { get; set; }
    public string? Description { get; set; }
    /// <summary>Meta's call-to-action type as sent ("SHOP_NOW", "LEARN_MORE", …); see <see cref="CallToActions"/>.</summary>
    public string? CallToAction { get; set; }
    /// <summary>One of <see cref="CreativeFormats"/>.</summary>
    public string Format { get; set; } = CreativeFormats.Image;
    /// <summary>Meta's preview image; null when AdIntel renders the thumbnail itself (demo store).</summary>
    public string? ThumbnailUrl { get; set; }
    public string? Link { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

public static class CreativeFormats
{
    public const string Image = "image";
    public const string Video = "video";
    public const string Carousel = "carousel";
    /// <summary>Dynamic creative: Meta combines several texts and media; the copy shown is the first of each.</summary>
    public const string Dynamic = "dynamic";

    public static IReadOnlyList<string> All { get; } = [Image, Video, Carousel, Dynamic];
}

public static class CallToActions
{
    /// <summary>The button types the Creative Studio writes and saves: Meta's shop-relevant ones.</summary>
    public static IReadOnlyList<string> ForVariants { get; } = ["SHOP_NOW", "BUY_NOW", "ORDER_NOW", "GET_OFFER", "LEARN_MORE", "SEE_MORE", "SIGN_UP", "SUBSCRIBE"];

    /// <summary>"SHOP_NOW" → "Shop now", as Meta labels the button.</summary>
    public static string Label(string type)
    {
        var words = type.Replace('_', ' ').ToLowerInvariant();
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
