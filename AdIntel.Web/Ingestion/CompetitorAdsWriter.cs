using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Ingestion;

/// <summary>An ad of a watched competitor as a source (Meta's Ad Library) hands it over.</summary>
public sealed record IncomingCompetitorAd(string ArchiveId, string? PageId, string? PageName, IReadOnlyList<string> Bodies, IReadOnlyList<string> LinkTitles,
    string? SnapshotUrl, DateOnly? DeliveryStart, DateOnly? DeliveryStop, IReadOnlyList<string> Platforms, IReadOnlyList<string> Languages);

/// <summary>What one write did.</summary>
public sealed record CompetitorAdsWriteResult(int Added, int Updated);

/// <summary>
/// The one writer of the current store's competitor ads: a competitor's ads are upserted by Library id (what Meta says
/// now wins, e.g. a stop date once the ad ends), and the competitor is marked read. Ads Meta no longer lists are kept
/// (the Library forgets commercial ads after a year; the store may not).
/// </summary>
public sealed class CompetitorAdsWriter(AdIntelDbContext db, TimeProvider time)
{
    public Task<CompetitorAdsWriteResult> UpsertAsync(Competitor competitor, IReadOnlyList<IncomingCompetitorAd> ads, CancellationToken cancellationToken) =>
        db.Database.InTransactionAsync(() => WriteAsync(competitor, ads, cancellationToken), cancellationToken);

    private async Task<CompetitorAdsWriteResult> WriteAsync(Competitor competitor, IReadOnlyList<IncomingCompetitorAd> ads, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stored = await db.CompetitorAds.AsTracking().Where(a => a.CompetitorId == competitor.Id).ToDictionaryAsync(a => a.ArchiveId, StringComparer.Ordinal, cancellationToken);
        int added = 0, updated = 0;
        // A search by several terms can list an ad twice: the last answer wins.
        foreach (var ad in ads.Where(a => a.ArchiveId.Length > 0).GroupBy(a => a.ArchiveId, StringComparer.Ordinal).Select(g => g.Last()))
        {
            if (!stored.TryGetValue(ad.ArchiveId, out var row))
            {
                row = new CompetitorAd { ArchiveId = ad.ArchiveId, CompetitorId = competitor.Id, FirstSeenAtUtc = now };
                db.CompetitorAds.Add(row);
                stored[ad.ArchiveId] = row;
                added++;
            }
            else if (!Same(row, ad))
            {
                updated++;
            }
            row.PageId = Clip(ad.PageId, 64);
            row.PageName = Clip(ad.PageName, 300);
            row.Bodies = [.. ad.Bodies];
            row.LinkTitles = [.. ad.LinkTitles];
            row.SnapshotUrl = Clip(ad.SnapshotUrl, 500);
            row.DeliveryStart = ad.DeliveryStart;
            row.DeliveryStop = ad.DeliveryStop;
            row.Platforms = [.. ad.Platforms];
            row.Languages = [.. ad.Languages];
            row.LastSeenAtUtc = now;
        }
        competitor.LastSyncedAtUtc = now;
        competitor.LastSyncError = null;
        await db.SaveChangesAsync(cancellationToken);
        return new CompetitorAdsWriteResult(added, updated);
    }

    private static bool Same(CompetitorAd row, IncomingCompetitorAd ad) =>
        row.PageName == Clip(ad.PageName, 300) && row.DeliveryStart == ad.DeliveryStart && row.DeliveryStop == ad.DeliveryStop
        && row.Bodies.SequenceEqual(ad.Bodies) && row.LinkTitles.SequenceEqual(ad.LinkTitles);

    private static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
