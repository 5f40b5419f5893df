using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Integrations.Sync;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Meta.Sync;

/// <summary>
/// Reads the ads of the store's watched competitors from Meta's Ad Library (<see cref="MetaGraphClient.SearchAdLibraryAsync"/>)
/// with the store's Meta connection, once a day per competitor: the sync runs with the store's others, and only
/// competitors not read for <see cref="ReadEvery"/> are searched (a new one at once). Each search term is one search, the
/// Page ids another; the ads go through <see cref="CompetitorAdsWriter"/>. A search Meta refuses as invalid is noted on
/// its competitor and the others go on; throttling that the client's retries could not wait out, an expired token or a
/// missing Ad Library permission fails the run, and the competitors not yet read stay due for the next one.
/// </summary>
public sealed class CompetitorAdsSync(AdIntelDbContext db, MetaConnections connections, MetaGraphClient client, CompetitorAdsWriter writer,
    TimeProvider time, ILogger<CompetitorAdsSync> logger) : IIntegrationSync
{
    public const string SyncName = "meta_competitors";
    public static readonly TimeSpan ReadEvery = TimeSpan.FromDays(1);
    /// <summary>Ads whose delivery started earlier than this are not asked for.</summary>
    public const int LookbackDays = 90;

    public string Name => SyncName;

    public string Provider => IntegrationProviders.Meta;

    public string ChooseKind(IntegrationConnection connection, SyncMode mode) => SyncKinds.Incremental;

    public async Task RunAsync(SyncRunContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var dueBefore = now - ReadEvery;
        var due = await db.Competitors.AsTracking()
            .Where(c => c.LastSyncedAtUtc == null || c.LastSyncedAtUtc <= dueBefore)
            .OrderBy(c => c.LastSyncedAtUtc.HasValue).ThenBy(c => c.LastSyncedAtUtc).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return;
        }
        var credentials = connections.Credentials(context.Connection)
            ?? throw new CompetitorSyncException("The Meta connection's token cannot be read: connect Meta again.", reconnect: true);
        context.Run.Total = due.Count;
        var since = DateOnly.FromDateTime(now).AddDays(-LookbackDays);
        foreach (var competitor in due)
        {
            await context.SetPhaseAsync($"Ad Library: {competitor.Name}", cancellationToken);
            List<MetaArchivedAd> ads = [];
            try
            {
                foreach (var search in Searches(competitor, since))
                {
                    ads.AddRange(await client.SearchAdLibraryAsync(credentials.AccessToken, search, cancellationToken));
                }
            }
            catch (MetaApiException ex) when (ex.Error.Kind == MetaErrorKind.Permanent)
            {
                // This competitor's search is wrong (an unknown country, say): retrying cannot help, the others can still be read.
                competitor.LastSyncError = Clip("Meta refused the search: " + ex.Error.Message);
                competitor.LastSyncedAtUtc = now;
                await db.SaveChangesAsync(cancellationToken);
                logger.LogWarning("Ad Library search for competitor {CompetitorId} of store {StoreId} refused: {Message}", competitor.Id, competitor.StoreId, ex.Error.Message);
                continue;
            }
            var result = await writer.UpsertAsync(competitor, [.. ads.Select(ToIncoming)], cancellationToken);
            context.Run.Processed++;
            logger.LogInformation("Competitor {CompetitorId} of store {StoreId}: {Ads} ads read, {Added} new, {Updated} changed",
                competitor.Id, competitor.StoreId, ads.Count, result.Added, result.Updated);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Meta takes one search text per call: each term is searched on its own, the Page ids together.</summary>
    private static IEnumerable<MetaAdLibrarySearch> Searches(Competitor competitor, DateOnly since)
    {
        foreach (var term in competitor.SearchTerms)
        {
            yield return new MetaAdLibrarySearch(term, [], competitor.Countries, competitor.AdStatus, since);
        }
        if (competitor.PageIds.Count > 0)
        {
            yield return new MetaAdLibrarySearch(null, competitor.PageIds, competitor.Countries, competitor.AdStatus, since);
        }
    }

    private static IncomingCompetitorAd ToIncoming(MetaArchivedAd ad) =>
        new(ad.Id, ad.PageId, ad.PageName, ad.Bodies, ad.LinkTitles, ad.SnapshotUrl, ad.DeliveryStart, ad.DeliveryStop, ad.Platforms, ad.Languages);

    private static string Clip(string text) => text.Length <= 1000 ? text : text[..1000];

    public SyncFailure DescribeFailure(Exception exception) => exception switch
    {
        MetaApiException { Error.Code: 190 } => new("Meta no longer accepts the access token (expired or revoked): connect Meta again.", NeedsReconnect: true),
        MetaApiException { Error.Kind: MetaErrorKind.Permission } meta => new(
            "Meta refused the Ad Library: the person who connected Meta must confirm their identity and location at facebook.com/ID and accept the Ad Library API terms. (" + meta.Error.Message + ")",
            NeedsReconnect: false),
        MetaApiException { Error.Kind: MetaErrorKind.Throttled } => new(
            "Meta is rate-limiting Ad Library searches; the competitors not read yet are read at the next sync.", NeedsReconnect: false),
        MetaApiException meta => new("Reading competitors' ads failed: " + meta.Error.Message, NeedsReconnect: false),
        CompetitorSyncException known => new(known.Message, known.Reconnect),
        _ => new("Reading competitors' ads failed: " + exception.Message, NeedsReconnect: false),
    };

    private sealed class CompetitorSyncException(string message, bool reconnect) : Exception(message)
    {
        public bool Reconnect => reconnect;
    }
}
