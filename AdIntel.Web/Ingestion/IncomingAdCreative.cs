namespace AdIntel.Web.Ingestion;

/// <summary>
/// An ad's creative as a source hands it to <see cref="AdCreativeWriter"/>, keyed by the ad's Meta id. Null texts are
/// what the creative does not have; <paramref name="Format"/> is one of <see cref="Domain.CreativeFormats"/>.
/// </summary>
public sealed record IncomingAdCreative(string AdExternalId, string? CreativeExternalId, string Format, string? PrimaryText, string? Headline,
    string? Description, string? CallToAction, string? ThumbnailUrl, string? Link);

/// <param name="UnknownAds">Creatives of ads the store does not have (not stored).</param>
public sealed record AdCreativeWriteResult(int Created, int Updated, int Unchanged, int UnknownAds);
