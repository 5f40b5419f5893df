using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Meta;
using AdIntel.Web.Integrations.Meta.Sync;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>
/// <c>/api/creatives/competitors</c>: the competitors the store watches in Meta's Ad Library, adding one (its ads are
/// read at once in the background, then daily, by <see cref="CompetitorAdsSync"/>), and a competitor's ads, newest first.
/// </summary>
public static class CompetitorsEndpoints
{
    public const int MaxCompetitors = 25;
    public const int MaxNameLength = 100;
    /// <summary>Meta's limits: 10 Page ids per search; search text up to 100 characters.</summary>
    public const int MaxSearchTerms = 10;
    public const int MaxPageIds = 10;
    public const int MaxSearchTermLength = 100;
    public const int MaxCountries = 30;
    public const int AdsPageSize = 50;

    public static RouteGroupBuilder MapCompetitorsEndpoints(this RouteGroupBuilder api)
    {
        var competitors = api.MapGroup("/creatives/competitors");
        competitors.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        competitors.MapPost("", AddAsync).RequireAuthorization(Policies.Marketer);
        competitors.MapGet("/{id:long}/ads", AdsAsync).RequireAuthorization(Policies.Viewer);
        return api;
    }

    public sealed record CompetitorRequest(string? Name, IReadOnlyList<string>? SearchTerms, IReadOnlyList<string>? PageIds, IReadOnlyList<string>? Countries,
        string? AdStatus);

    public sealed record CompetitorView(long Id, string Name, IReadOnlyList<string> SearchTerms, IReadOnlyList<string> PageIds, IReadOnlyList<string> Countries,
        string AdStatus, int Ads, DateTime CreatedAt, DateTime? LastSyncedAt, string? LastSyncError);

    /// <summary>Whether the competitor's ads are on their way: <c>queued</c>, or <c>not_connected</c> with what to do.</summary>
    public sealed record SyncView(string Status, string Message);

    public sealed record AddedView(CompetitorView Competitor, SyncView Sync);

    public sealed record CompetitorAdView(string ArchiveId, string? PageId, string? PageName, IReadOnlyList<string> Bodies, IReadOnlyList<string> LinkTitles,
        string? SnapshotUrl, DateOnly? DeliveryStart, DateOnly? DeliveryStop, bool Active, IReadOnlyList<string> Platforms, IReadOnlyList<string> Languages,
        DateTime FirstSeenAt, DateTime LastSeenAt);

    public const string NotConnectedMessage =
        "Competitors' ads are read from Meta's Ad Library through the store's Meta connection, and this store has none: connect Meta in Settings → Integrations and they are read at the next sync.";

    private static async Task<IResult> ListAsync(CompetitorWatch watch, CancellationToken cancellationToken) =>
        ApiResults.List(await watch.ListAsync(cancellationToken));

    private static async Task<IResult> AddAsync(CompetitorRequest? body, CompetitorWatch watch, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send the competitor: {\"name\": \"…\", \"searchTerms\": [\"…\"] or \"pageIds\": [\"…\"], \"countries\": [\"DE\", \"FR\"]}.");
        }
        var outcome = await watch.AddAsync(body, cancellationToken);
        return outcome.Added is { } added
            ? Results.Json(new ApiResults.DataEnvelope<AddedView>(added), statusCode: StatusCodes.Status201Created)
            : ApiResults.Error(outcome.Refusal!.Status, outcome.Refusal.Code, outcome.Refusal.Message, outcome.Refusal.Details);
    }

    private static async Task<IResult> AdsAsync(long id, string? cursor, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        // The store filter makes another store's competitor unknown here.
        if (!await db.Competitors.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ApiResults.NotFound("Competitor");
        }
        var query = db.CompetitorAds.AsNoTracking().Where(a => a.CompetitorId == id);
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            {
                return ApiResults.BadRequest("The cursor is not one this API gave out: use page.next of the previous page.");
            }
            query = query.Where(a => a.Id < before);
        }
        var page = await query.OrderByDescending(a => a.Id).Take(AdsPageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > AdsPageSize ? page[AdsPageSize - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return ApiResults.List([.. page.Take(AdsPageSize).Select(a => new CompetitorAdView(a.ArchiveId, a.PageId, a.PageName, a.Bodies, a.LinkTitles, a.SnapshotUrl,
            a.DeliveryStart, a.DeliveryStop, a.DeliveryStop is null, a.Platforms, a.Languages, a.FirstSeenAtUtc, a.LastSeenAtUtc))], next);
    }
}
