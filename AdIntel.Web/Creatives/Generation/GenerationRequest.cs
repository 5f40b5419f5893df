using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Creatives.Scoring;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Creatives.Generation;

/// <summary>What to write: <see cref="Count"/> variants for a product, from an angle, for a format, pointing at <see cref="Link"/>.</summary>
public sealed record GenerationRequest(string Product, string Angle, string Format, int Count, string? Link)
{
    public const int MaxCount = 10;

    /// <summary>The formats copy is written for (a dynamic creative combines copy Meta is given; it is not written as one).</summary>
    public static IReadOnlyList<string> Formats { get; } = [CreativeFormats.Image, CreativeFormats.Video, CreativeFormats.Carousel];

    /// <summary>The request, or every problem by field.</summary>
    public static (GenerationRequest? Request, Dictionary<string, string> Problems) Validate(string? product, string? angle, string? format, int? count, string? link)
    {
        var problems = new Dictionary<string, string>();
        var name = product?.Trim() ?? "";
        if (name.Length == 0)
        {
            problems["product"] = "is required: the product the copy sells";
        }
        else if (name.Length > CreativeVariant.MaxProductLength)
        {
            problems["product"] = $"must be at most {CreativeVariant.MaxProductLength} characters (it has {name.Length})";
        }
        var chosenAngle = angle?.Trim().ToLowerInvariant() ?? "";
        if (!CreativeAngles.All.Contains(chosenAngle))
        {
            problems["angle"] = $"must be one of {string.Join(", ", CreativeAngles.All)}";
        }
        var chosenFormat = string.IsNullOrWhiteSpace(format) ? CreativeFormats.Image : format.Trim().ToLowerInvariant();
        if (!Formats.Contains(chosenFormat))
        {
            problems["format"] = $"must be one of {string.Join(", ", Formats)}";
        }
        if (count is not { } n || n < 1 || n > MaxCount)
        {
            problems["count"] = $"must be a whole number from 1 to {MaxCount}";
        }
        var chosenLink = CopyLimits.NormalizedLink(link, out var linkProblem);
        if (linkProblem is not null)
        {
            problems["link"] = linkProblem;
        }
        return problems.Count > 0 ? (null, problems) : (new GenerationRequest(name, chosenAngle, chosenFormat, count!.Value, chosenLink), problems);
    }
}

/// <summary>The placements' lengths generated copy keeps to, and the rules every stored variant's link follows.</summary>
public static class CopyLimits
{
    /// <summary>What the mobile feed shows of the primary text before "See more".</summary>
    public const int PrimaryText = CreativeScorer.VisiblePrimaryText;
    public const int Headline = CreativeScorer.HeadlineMax;
    public const int Description = CreativeScorer.DescriptionMax;

    /// <summary>The link trimmed (blank: null), or why it cannot be one: an absolute http(s) address within the stored length.</summary>
    public static string? NormalizedLink(string? link, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }
        var trimmed = link.Trim();
        if (trimmed.Length > AdCreative.MaxUrlLength)
        {
            problem = $"must be at most {AdCreative.MaxUrlLength:N0} characters";
        }
        else if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem = "must be a web address starting with https:// (or http://)";
        }
        return problem is null ? trimmed : null;
    }
}

/// <summary>One variant's copy as a writer (templates or the LLM) drafted it, before scoring.</summary>
public sealed record CopyDraft(string PrimaryText, string Headline, string Description, string CallToAction)
{
    public AdCopy ToCopy() => new(PrimaryText, Headline, Description);

    public string AllText => $"{PrimaryText}\n{Headline}\n{Description}";
}
