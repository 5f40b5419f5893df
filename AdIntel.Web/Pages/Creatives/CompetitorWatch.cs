using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Meta;
using AdIntel.Web.Integrations.Meta.Sync;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Pages.Creatives.CompetitorsEndpoints;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>Why a competitor was not added: the status and error the API answers with, the sentence and the problems by field.</summary>
public sealed record CompetitorRefusal(int Status, string Code, string Message, Dictionary<string, string>? Details);

/// <summary>A competitor added (with whether its ads are on their way), or why not.</summary>
public sealed record AddCompetitorOutcome(AddedView? Added, CompetitorRefusal? Refusal);

/// <summary>
/// The competitors a store watches in Meta's Ad Library, for the API and the Creatives page alike: listing them,
/// adding one (validated, at most <see cref="MaxCompetitors"/>, names unique; its ads read at once when Meta is
/// connected) and whether the Ad Library can be read at all.
/// </summary>
public sealed class CompetitorWatch(AdIntelDbContext db, StoreContext store, MetaConnections connections, IntegrationSchedules schedules, TimeProvider time)
{
    public async Task<IReadOnlyList<CompetitorView>> ListAsync(CancellationToken cancellationToken)
    {
        var competitors = await db.Competitors.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var counts = await db.CompetitorAds.GroupBy(a => a.CompetitorId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. competitors.Select(c => View(c, counts.GetValueOrDefault(c.Id)))];
    }

    /// <summary>Whether the store has a Meta connection to read the Ad Library with.</summary>
    public async Task<bool> IsAdLibraryConnectedAsync(CancellationToken cancellationToken) =>
        connections.Credentials(await connections.GetAsync(cancellationToken)) is not null;

    public async Task<AddCompetitorOutcome> AddAsync(CompetitorRequest body, CancellationToken cancellationToken)
    {
        var (competitor, errors) = Validate(body);
        if (competitor is null)
        {
            return Refused(StatusCodes.Status422UnprocessableEntity, "invalid_competitor", "The competitor cannot be watched as sent: " + string.Join(" ", errors.Values), errors);
        }
        if (await db.Competitors.CountAsync(cancellationToken) >= MaxCompetitors)
        {
            return Refused(StatusCodes.Status422UnprocessableEntity, "too_many_competitors", $"A store watches at most {MaxCompetitors} competitors; remove one first.");
        }
        if (await db.Competitors.AnyAsync(c => c.Name == competitor.Name, cancellationToken))
        {
            return Refused(StatusCodes.Status409Conflict, "competitor_exists", $"The store already watches a competitor named \"{competitor.Name}\".",
                new() { ["name"] = $"The store already watches a competitor named \"{competitor.Name}\"." });
        }
        competitor.CreatedAtUtc = time.GetUtcNow().UtcDateTime;
        db.Competitors.Add(competitor);
        await db.SaveChangesAsync(cancellationToken);

        // Without a usable Meta connection there is nothing to read the Ad Library with: say so rather than queue a sync that cannot run.
        SyncView sync;
        if (!await IsAdLibraryConnectedAsync(cancellationToken))
        {
            sync = new SyncView("not_connected", NotConnectedMessage);
        }
        else
        {
            schedules.RunNow(store.RequiredStoreId, CompetitorAdsSync.SyncName);
            sync = new SyncView("queued", "Its ads are being read from Meta's Ad Library now, then once a day.");
        }
        return new AddCompetitorOutcome(new AddedView(View(competitor, 0), sync), null);
    }

    private static AddCompetitorOutcome Refused(int status, string code, string message, Dictionary<string, string>? details = null) =>
        new(null, new CompetitorRefusal(status, code, message, details));

    public static CompetitorView View(Competitor c, int ads) =>
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
        else if (name.Length > CompetitorsEndpoints.MaxNameLength)
        {
            errors["name"] = $"The name is limited to {CompetitorsEndpoints.MaxNameLength} characters.";
        }

        var terms = (body.SearchTerms ?? []).Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var pageIds = (body.PageIds ?? []).Select(p => p?.Trim() ?? "").Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 && pageIds.Count == 0)
        {
            errors["searchTerms"] = "Give at least one search term or Facebook Page id.";
        }
        if (terms.Count > CompetitorsEndpoints.MaxSearchTerms)
        {
            errors["searchTerms"] = $"At most {CompetitorsEndpoints.MaxSearchTerms} search terms.";
        }
        else if (terms.FirstOrDefault(t => t.Length > CompetitorsEndpoints.MaxSearchTermLength) is { } tooLong)
        {
            errors["searchTerms"] = $"A search term is limited to {CompetitorsEndpoints.MaxSearchTermLength} characters (\"{tooLong[..20]}…\" is longer).";
        }
        if (pageIds.Count > CompetitorsEndpoints.MaxPageIds)
        {
            errors["pageIds"] = $"Meta searches at most {CompetitorsEndpoints.MaxPageIds} Page ids.";
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
        else if (countries.Count > CompetitorsEndpoints.MaxCountries)
        {
            errors["countries"] = $"At most {CompetitorsEndpoints.MaxCountries} countries; use [\"ALL\"] for every country.";
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

    /// <summary>
    /// A page of the watched competitors' ads (or one competitor's), filtered by words in their text or Page name and by
    /// status, newest start first, longest running first, or oldest first; and how many match in all.
    /// </summary>
    public async Task<(IReadOnlyList<CompetitorAdRow> Rows, int Total)> BrowseAsync(CompetitorAdFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        var query = db.CompetitorAds.AsNoTracking().Where(a => filter.CompetitorId == null || a.CompetitorId == filter.CompetitorId);
        query = filter.Status switch
        {
            CompetitorAdFilter.Running => query.Where(a => a.DeliveryStop == null),
            CompetitorAdFilter.Stopped => query.Where(a => a.DeliveryStop != null),
            _ => query,
        };
        var competitors = await db.Competitors.AsNoTracking().ToDictionaryAsync(c => c.Id, cancellationToken);
        // Texts are lists stored as one column: the words are matched here rather than in SQL.
        var ads = (await query.ToListAsync(cancellationToken))
            .Where(a => filter.Words.Length == 0 || filter.Words.All(w => a.Bodies.Concat(a.LinkTitles).Append(a.PageName ?? "").Any(t => t.Contains(w, StringComparison.OrdinalIgnoreCase))))
            .Select(a => new CompetitorAdRow(a, competitors.GetValueOrDefault(a.CompetitorId)?.Name ?? "",
                competitors.GetValueOrDefault(a.CompetitorId)?.Countries ?? [],
                a.DeliveryStart is { } start ? (a.DeliveryStop ?? today).DayNumber - start.DayNumber + 1 : null))
            .ToList();
        IOrderedEnumerable<CompetitorAdRow> sorted = filter.Sort switch
        {
            CompetitorAdFilter.Longest => ads.OrderByDescending(r => r.DaysRunning ?? -1),
            CompetitorAdFilter.Oldest => ads.OrderBy(r => r.Ad.DeliveryStart ?? DateOnly.MaxValue),
            _ => ads.OrderByDescending(r => r.Ad.DeliveryStart ?? DateOnly.MinValue),
        };
        return ([.. sorted.ThenBy(r => r.Ad.ArchiveId, StringComparer.Ordinal).Skip((filter.Page - 1) * CompetitorAdFilter.PageSize).Take(CompetitorAdFilter.PageSize)], ads.Count);
    }
}

/// <summary>One competitor ad as the Creatives page lists it: the ad, whose it is, where the competitor is watched and how long it has run (to today while running).</summary>
public sealed record CompetitorAdRow(CompetitorAd Ad, string Competitor, IReadOnlyList<string> Countries, int? DaysRunning);

/// <summary>What the Creatives page's competitor ads are filtered and sorted by.</summary>
public sealed record CompetitorAdFilter(long? CompetitorId, string Text, string Status, string Sort, int Page)
{
    public const int PageSize = 25;
    public const string All = "all";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Newest = "newest";
    public const string Longest = "longest";
    public const string Oldest = "oldest";

    public static IReadOnlyList<(string Key, string Label)> Statuses { get; } = [(All, "Running and stopped"), (Running, "Running"), (Stopped, "Stopped")];
    public static IReadOnlyList<(string Key, string Label)> Sorts { get; } = [(Newest, "Newest first"), (Longest, "Longest running"), (Oldest, "Oldest first")];

    public string[] Words => Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
