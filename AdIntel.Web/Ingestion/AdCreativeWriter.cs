using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Ingestion;

/// <summary>
/// The one writer of the current store's ad creatives (one per ad), upserted by the ad's Meta id: the source's
/// creative replaces the stored one whole, an unchanged one is left alone. The ad's <see cref="Ad.CreativeType"/>
/// follows its creative's format. Joins the caller's transaction when there is one, else writes in one of its own.
/// </summary>
public sealed class AdCreativeWriter(AdIntelDbContext db, TimeProvider time)
{
    private const int QueryChunk = 500;

    public Task<AdCreativeWriteResult> UpsertAsync(IReadOnlyList<IncomingAdCreative> creatives, CancellationToken cancellationToken) =>
        db.Database.InTransactionAsync(() => WriteAsync(creatives, cancellationToken), cancellationToken);

    private async Task<AdCreativeWriteResult> WriteAsync(IReadOnlyList<IncomingAdCreative> creatives, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var incoming = creatives.GroupBy(c => c.AdExternalId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var ads = new Dictionary<string, Ad>(StringComparer.Ordinal);
        var stored = new Dictionary<long, AdCreative>();
        foreach (var chunk in incoming.Keys.Chunk(QueryChunk))
        {
            foreach (var ad in await db.Ads.AsTracking().Where(a => chunk.Contains(a.ExternalId)).ToListAsync(cancellationToken))
            {
                ads[ad.ExternalId] = ad;
            }
        }
        foreach (var chunk in ads.Values.Select(a => a.Id).Chunk(QueryChunk))
        {
            foreach (var creative in await db.AdCreatives.AsTracking().Where(c => chunk.Contains(c.AdId)).ToListAsync(cancellationToken))
            {
                stored[creative.AdId] = creative;
            }
        }

        int created = 0, updated = 0, unchanged = 0, unknown = 0;
        foreach (var (adExternalId, source) in incoming)
        {
            if (!ads.TryGetValue(adExternalId, out var ad))
            {
                unknown++;
                continue;
            }
            if (!stored.TryGetValue(ad.Id, out var creative))
            {
                creative = new AdCreative { AdId = ad.Id };
                db.AdCreatives.Add(creative);
                created++;
            }
            else if (Same(creative, source))
            {
                unchanged++;
                continue;
            }
            else
            {
                updated++;
            }
            creative.ExternalId = source.CreativeExternalId;
            creative.Format = source.Format;
            creative.PrimaryText = Clip(source.PrimaryText, AdCreative.MaxTextLength);
            creative.Headline = Clip(source.Headline, AdCreative.MaxTextLength);
            creative.Description = Clip(source.Description, AdCreative.MaxTextLength);
            creative.CallToAction = Clip(source.CallToAction, 64);
            creative.ThumbnailUrl = Clip(source.ThumbnailUrl, AdCreative.MaxUrlLength);
            creative.Link = Clip(source.Link, AdCreative.MaxUrlLength);
            creative.UpdatedAtUtc = now;
            if (ad.CreativeType != source.Format)
            {
                ad.CreativeType = source.Format;
                ad.UpdatedAtUtc = now;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is Ad or AdCreative).ToList())
        {
            entry.State = EntityState.Detached;
        }
        return new AdCreativeWriteResult(created, updated, unchanged, unknown);
    }

    private static bool Same(AdCreative stored, IncomingAdCreative source) =>
        stored.ExternalId == source.CreativeExternalId && stored.Format == source.Format
        && stored.PrimaryText == Clip(source.PrimaryText, AdCreative.MaxTextLength) && stored.Headline == Clip(source.Headline, AdCreative.MaxTextLength)
        && stored.Description == Clip(source.Description, AdCreative.MaxTextLength) && stored.CallToAction == Clip(source.CallToAction, 64)
        && stored.ThumbnailUrl == Clip(source.ThumbnailUrl, AdCreative.MaxUrlLength) && stored.Link == Clip(source.Link, AdCreative.MaxUrlLength);

    /// <summary>Blank is absent; an over-long text is cut rather than refused (Meta's own maxima vary by placement).</summary>
    private static string? Clip(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= max ? text.Trim() : text[..max].Trim();
}
