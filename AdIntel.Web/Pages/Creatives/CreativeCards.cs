using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>One creative as a card: the ad it belongs to, its copy and its delivery in the period (null: none).</summary>
public sealed record CreativeCard(long AdId, string AdName, string Campaign, string AdStatus, AdCreative Creative, CreativeRow? Performance)
{
    public long CampaignId { get; init; }
    public long AdSetId { get; init; }

    /// <summary>The ad's own page, under its campaign and ad set.</summary>
    public string AdPath => $"/campaigns/{CampaignId}/adsets/{AdSetId}/ads/{AdId}";

    /// <summary>Meta's preview when it is on Meta's image CDN (the only image host the app's pages allow), else the app's own.</summary>
    public static string ThumbnailFor(long adId, AdCreative creative) => IsMetaImage(creative.ThumbnailUrl) ? creative.ThumbnailUrl! : CreativeThumbnail.Path(adId);

    public static bool IsMetaImage(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
        && uri.Host.EndsWith(".fbcdn.net", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What the cards can be sorted by; every metric is the creative report's.</summary>
public static class CreativeSorts
{
    public const string Spend = "spend";
    public const string Roas = "roas";
    public const string Cpa = "cpa";
    public const string Ctr = "ctr";
    public const string Newest = "newest";

    public static IReadOnlyList<(string Key, string Label)> All { get; } =
        [(Spend, "Spend"), (Roas, "ROAS"), (Cpa, "CPA (lowest first)"), (Ctr, "CTR"), (Newest, "Newest ad")];
}

/// <summary>
/// The store's creatives with their delivery over a period, from <see cref="CreativeReport"/> (spend, ROAS, CPA, CTR and
/// the fatigue verdict), so the cards and the creative report always agree.
/// </summary>
public sealed class CreativeCardsQuery(AdIntelDbContext db, ReportService reports)
{
    public Task<bool> AnyAsync(CancellationToken cancellationToken) => db.AdCreatives.AnyAsync(cancellationToken);

    /// <param name="format">One of <see cref="CreativeFormats"/>, or null for all.</param>
    /// <param name="deliveringOnly">Only creatives of ads that delivered in the period.</param>
    public async Task<IReadOnlyList<CreativeCard>> ListAsync(DateRange range, string? format, bool fatiguedOnly, bool deliveringOnly, string sort,
        CancellationToken cancellationToken)
    {
        var creatives = await db.AdCreatives.AsNoTracking()
            .Where(c => format == null || c.Format == format)
            .Join(db.Ads, c => c.AdId, a => a.Id, (c, a) => new { Creative = c, Ad = a })
            .Join(db.Campaigns, x => x.Ad.CampaignId, c => c.Id,
                (x, c) => new { x.Creative, x.Ad.Name, x.Ad.Status, x.Ad.StartDate, x.Ad.CampaignId, x.Ad.AdSetId, Campaign = c.Name })
            .ToListAsync(cancellationToken);
        var report = await reports.CreativeAsync(range, cancellationToken);
        var performance = report.Rows.ToDictionary(r => r.AdId);
        var cards = creatives
            .Select(c => (Card: new CreativeCard(c.Creative.AdId, c.Name, c.Campaign, c.Status, c.Creative, performance.GetValueOrDefault(c.Creative.AdId))
            {
                CampaignId = c.CampaignId,
                AdSetId = c.AdSetId,
            }, c.StartDate))
            .Where(c => !deliveringOnly || c.Card.Performance is not null)
            .Where(c => !fatiguedOnly || c.Card.Performance is { IsFatigued: true });
        var sorted = sort switch
        {
            CreativeSorts.Roas => cards.OrderByDescending(c => c.Card.Performance?.Roas ?? -1),
            // Lowest cost per purchase first; ads without purchases last.
            CreativeSorts.Cpa => cards.OrderBy(c => c.Card.Performance?.Cpa ?? decimal.MaxValue),
            CreativeSorts.Ctr => cards.OrderByDescending(c => c.Card.Performance?.Ctr ?? -1),
            CreativeSorts.Newest => cards.OrderByDescending(c => c.StartDate ?? DateOnly.MinValue),
            _ => cards.OrderByDescending(c => c.Card.Performance?.Spend ?? -1),
        };
        return [.. sorted.ThenBy(c => c.Card.AdName, StringComparer.Ordinal).Select(c => c.Card)];
    }
}
