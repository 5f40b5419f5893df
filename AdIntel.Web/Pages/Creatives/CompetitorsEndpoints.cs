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

    private static async Task<IResult> ListAsync(AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var competitors = await db.Competitors.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var counts = await db.CompetitorAds.GroupBy(a => a.CompetitorId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return ApiResults.List([.. competitors.Select(c => View(c, counts.GetValueOrDefault(c.Id)))]);
    }

    private static async Task<IResult> AddAsync(CompetitorRequest? body, AdIntelDbContext db, StoreContext store, MetaConnections connections,
        IntegrationSchedules schedules, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send the competitor: {\"name\": \"…\", \"searchTerms\": [\"…\"] or \"pageIds\": [\"…\"], \"countries\": [\"DE\", \"FR\"]}.");
        }
        var (competitor, errors) = Validate(body);
        if (competitor is null)
        {
            return ApiResults.Unprocessable("invalid_competitor", "The competitor cannot be watched as sent: " + string.Join(" ", errors.Values), errors);
        }
        if (await db.Competitors.CountAsync(cancellationToken) >= MaxCompetitors)
        {
            return ApiResults.Unprocessable("too_many_competitors", $"A store watches at most {MaxCompetitors} competitors; remove one first.");
        }
        if (await db.Competitors.AnyAsync(c => c.Name == competitor.Name, cancellationToken))
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, "competitor_exists", $"The store already watches a competitor named \"{competitor.Name}\".");
        }
        competitor.CreatedAtUtc = time.GetUtcNow().UtcDateTime;
        db.Competitors.Add(competitor);
        await db.SaveChangesAsync(cancellationToken);

        // Without a usable Meta connection there is nothing to read the Ad Library with: say so rather than queue a sync that cannot run.
        SyncView sync;
        if (connections.Credentials(await connections.GetAsync(cancellationToken)) is null)
        {
            sync = new SyncView("not_connected", NotConnectedMessage);
        }
        else
        {
            schedules.RunNow(store.RequiredStoreId, CompetitorAdsSync.SyncName);
            sync = new SyncView("queued", "Its ads are being read from Meta's Ad Library now, then once a day.");
        }
        return Results.Json(new ApiResults.DataEnvelope<AddedView>(new AddedView(View(competitor, 0), sync)), statusCode: StatusCodes.Status201Created);
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

    private static CompetitorView View(Competitor c, int ads) =>
        new(c.Id, c.Name, c.SearchTerms, c.PageIds, c.Countries, c.AdStatus, ads, c.CreatedAtUtc, c.LastSyncedAtUtc, c.LastSyncError);

    /// <summary>The competitor to store, or every problem by field.</summary>
    public static (Competitor? Competitor, Dictionary<string, string> Errors) Validate(CompetitorRequest body)
    {
        var errors = new Dictionary<string, string>();
        var name = body.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors["name"] = "A name is required.";
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = $"The name is limited to {MaxNameLength} characters.";
        }

        var terms = (body.SearchTerms ?? []).Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var pageIds = (body.PageIds ?? []).Select(p => p?.Trim() ?? "").Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 && pageIds.Count == 0)
        {
            errors["searchTerms"] = "Give at least one search term or Facebook Page id.";
        }
        if (terms.Count > MaxSearchTerms)
        {
            errors["searchTerms"] = $"At most {MaxSearchTerms} search terms.";
        }
        else if (terms.FirstOrDefault(t => t.Length > MaxSearchTermLength) is { } tooLong)
        {
            errors["searchTerms"] = $"A search term is limited to {MaxSearchTermLength} characters (\"{tooLong[..20]}…\" is longer).";
        }
        if (pageIds.Count > MaxPageIds)
        {
            errors["pageIds"] = $"Meta searches at most {MaxPageIds} Page ids.";
        }
        else if (pageIds.FirstOrDefault(p => p.Length > 30 || !p.All(char.IsAsciiDigit)) is { } badPage)
        {
            errors["pageIds"] = $"\"{badPage}\" is not a Facebook Page id (digits only; find it in the Page's About or in the Ad Library).";
        }

        var countries = (body.Countries ?? []).Select(c => c?.Trim().ToUpperInvariant() ?? "").Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (countries.Count == 0)
        {
            errors["countries"] = "Give the countries the ads reached as ISO codes (e.g. [\"DE\", \"FR\"]), or [\"ALL\"].";
        }
        else if (countries.Contains("ALL") && countries.Count > 1)
        {
            errors["countries"] = "ALL stands alone: send [\"ALL\"] or a list of country codes.";
        }
        else if (countries.Count > MaxCountries)
        {
            errors["countries"] = $"At most {MaxCountries} countries; use [\"ALL\"] for every country.";
        }
        else if (countries.Where(c => c != "ALL" && !IsoCountries.Contains(c)).ToList() is { Count: > 0 } unknown)
        {
            errors["countries"] = $"Not ISO 3166-1 country codes: {string.Join(", ", unknown)}.";
        }

        var status = string.IsNullOrWhiteSpace(body.AdStatus) ? CompetitorAdStatuses.Active : body.AdStatus.Trim().ToUpperInvariant();
        if (!CompetitorAdStatuses.Values.Contains(status))
        {
            errors["adStatus"] = $"adStatus is one of {string.Join(", ", CompetitorAdStatuses.Values)}.";
        }
        return errors.Count > 0
            ? (null, errors)
            : (new Competitor { Name = name, SearchTerms = terms, PageIds = pageIds, Countries = countries, AdStatus = status }, errors);
    }

    /// <summary>ISO 3166-1 alpha-2, the codes Meta's <c>ad_reached_countries</c> takes.</summary>
    private static readonly HashSet<string> IsoCountries = new(
        ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN " +
         "CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM " +
         "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK " +
         "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
         "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI " +
         "VN VU WF WS YE YT ZA ZM ZW").Split(' '), StringComparer.Ordinal);
}
