using System.Globalization;
using AdIntel.Web.Creatives.Trends;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>What the Creatives page's swappable body shows.</summary>
public sealed class CreativesView
{
    public required DateRangeSelection Selection { get; init; }
    public required string? Format { get; init; }
    public required string Sort { get; init; }
    public required bool FatiguedOnly { get; init; }
    public required bool ShowAll { get; init; }
    public required MetricFormatter Formatter { get; init; }
    public required IReadOnlyList<CreativeCard> Cards { get; init; }
    public required bool HasCreatives { get; init; }
    public string? Error { get; init; }

    /// <summary>This page with the current choices and <paramref name="preset"/> (null: the current range kept).</summary>
    public string Url(string? preset = null)
    {
        var parts = new List<string>();
        if (preset is null && Selection.Preset == DatePreset.Custom)
        {
            parts.Add("from=" + Selection.Range.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            parts.Add("to=" + Selection.Range.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            parts.Add("preset=" + Uri.EscapeDataString(preset ?? Selection.Preset));
        }
        if (Format is not null)
        {
            parts.Add("format=" + Format);
        }
        parts.Add("sort=" + Sort);
        if (FatiguedOnly)
        {
            parts.Add("fatigued=true");
        }
        if (ShowAll)
        {
            parts.Add("all=true");
        }
        return "/creatives?" + string.Join('&', parts);
    }
}

/// <summary>The Creative Intelligence screen's sections.</summary>
public static class CreativeTabs
{
    public const string Yours = "yours";
    public const string Competitors = "competitors";
    public const string Trends = "trends";

    public static IReadOnlyList<(string Key, string Label)> All { get; } = [(Yours, "Your creatives"), (Competitors, "Competitors"), (Trends, "Trends")];
}

/// <summary>What the screen's swappable body shows: one section, with what it needs.</summary>
public sealed class CreativeIntelligenceView
{
    public required string Tab { get; init; }
    public CreativesView? Yours { get; init; }
    public CompetitorsView? Competitors { get; init; }
    public TrendsView? Trends { get; init; }
}

/// <summary>The add-a-competitor form as typed: lists one entry a line or separated by commas.</summary>
public sealed class CompetitorForm
{
    public string? Name { get; set; }
    public string? SearchTerms { get; set; }
    public string? PageIds { get; set; }
    public string? Countries { get; set; }
    public string? AdStatus { get; set; }

    public CompetitorsEndpoints.CompetitorRequest ToRequest() => new(Name, Split(SearchTerms, allowComma: false), Split(PageIds, allowComma: true),
        Split(Countries, allowComma: true), AdStatus);

    private static List<string> Split(string? text, bool allowComma) =>
        [.. (text ?? "").Split(allowComma ? ['\n', ',', ' '] : ['\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

public sealed class CompetitorsView
{
    public required IReadOnlyList<CompetitorsEndpoints.CompetitorView> Competitors { get; init; }
    public required bool Connected { get; init; }
    public required bool CanAdd { get; init; }
    public required CompetitorAdFilter Filter { get; init; }
    public required IReadOnlyList<CompetitorAdRow> Ads { get; init; }
    public required int TotalAds { get; init; }
    public CompetitorForm Form { get; init; } = new();
    public IReadOnlyDictionary<string, string> FormErrors { get; init; } = new Dictionary<string, string>();
    /// <summary>What adding a competitor did, or why it did not.</summary>
    public string? Message { get; init; }
    public bool MessageIsProblem { get; init; }
    public string? Error { get; init; }

    public int Pages => Math.Max(1, (TotalAds + CompetitorAdFilter.PageSize - 1) / CompetitorAdFilter.PageSize);

    public string Url(long? competitor = -1, int? page = null)
    {
        var chosen = competitor == -1 ? Filter.CompetitorId : competitor;
        var parts = new List<string> { "tab=" + CreativeTabs.Competitors };
        if (chosen is { } id)
        {
            parts.Add("competitor=" + id.ToString(CultureInfo.InvariantCulture));
        }
        if (Filter.Text.Length > 0)
        {
            parts.Add("q=" + Uri.EscapeDataString(Filter.Text));
        }
        if (Filter.Status != CompetitorAdFilter.All)
        {
            parts.Add("status=" + Filter.Status);
        }
        if (Filter.Sort != CompetitorAdFilter.Newest)
        {
            parts.Add("adSort=" + Filter.Sort);
        }
        if ((page ?? 1) > 1)
        {
            parts.Add("adsPage=" + page!.Value.ToString(CultureInfo.InvariantCulture));
        }
        return "/creatives?" + string.Join('&', parts);
    }
}

public sealed class TrendsView
{
    public static IReadOnlyList<int> WindowChoices { get; } = [30, 60, 90, 180];

    public required int Window { get; init; }
    public CreativeTrends? Trends { get; init; }
    public required bool HasCompetitors { get; init; }
    public string? Error { get; init; }

    public string Url(int window) => "/creatives?tab=" + CreativeTabs.Trends + "&window=" + window.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Creative Intelligence: the store's creatives as cards (thumbnail, copy, call to action, format and the period's
/// spend, ROAS, CPA and CTR with the fatigue flag), the competitors watched in Meta's Ad Library with their ads, and
/// what changed in both. One GET handler renders the page or, for htmx requests, its body (the URL is pushed).
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(CreativeCardsQuery cards, CompetitorWatch competitors, CreativeTrendsQuery trends, StoreClock clock) : PageModel
{
    public CreativeIntelligenceView View { get; private set; } = null!;

    /// <summary>What the last add did (kept over the redirect after a plain form post).</summary>
    [TempData]
    public string? CompetitorMessage { get; set; }

    public bool CanChange => User.GetStoreRole() >= StoreRole.Marketer;

    public async Task<IActionResult> OnGetAsync(string? tab, string? from, string? to, string? preset, string? format, string? sort, bool fatigued, bool all,
        long? competitor, string? q, string? status, string? adSort, string? adsPage, string? window, CancellationToken cancellationToken)
    {
        var chosenTab = string.IsNullOrWhiteSpace(tab) ? CreativeTabs.Yours : tab.Trim().ToLowerInvariant();
        string? tabError = null;
        if (CreativeTabs.All.All(t => t.Key != chosenTab))
        {
            tabError = $"Unknown section \"{tab}\"; use one of {string.Join(", ", CreativeTabs.All.Select(t => t.Key))}.";
            chosenTab = CreativeTabs.Yours;
        }
        string? error;
        switch (chosenTab)
        {
            case CreativeTabs.Competitors:
                var filter = ReadFilter(competitor, q, status, adSort, adsPage, out var filterError);
                View = new() { Tab = chosenTab, Competitors = await CompetitorsAsync(filter, filterError, CompetitorMessage, false, null, null, cancellationToken) };
                error = View.Competitors.Error;
                break;
            case CreativeTabs.Trends:
                View = new() { Tab = chosenTab, Trends = await TrendsAsync(window, cancellationToken) };
                error = View.Trends.Error;
                break;
            default:
                View = new() { Tab = chosenTab, Yours = await YoursAsync(from, to, preset, format, sort, fatigued, all, tabError, cancellationToken) };
                error = View.Yours.Error;
                break;
        }
        if (error is not null && !Request.IsHtmxFragmentRequest())
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return this.PageOrPartial("_CreativeIntelligence", View);
    }

    /// <summary>Watch a competitor (marketers and owners): the API's rules and limits, through the same <see cref="CompetitorWatch"/>.</summary>
    public async Task<IActionResult> OnPostCompetitorAsync([FromForm] CompetitorForm form, CancellationToken cancellationToken)
    {
        if (!CanChange)
        {
            return Forbid();
        }
        var outcome = await competitors.AddAsync(form.ToRequest(), cancellationToken);
        if (outcome.Added is { } added && !Request.IsHtmxFragmentRequest())
        {
            CompetitorMessage = AddedMessage(added);
            return Redirect(new CompetitorsView
            {
                Competitors = [], Connected = false, CanAdd = false, Ads = [], TotalAds = 0,
                Filter = new CompetitorAdFilter(added.Competitor.Id, "", CompetitorAdFilter.All, CompetitorAdFilter.Newest, 1),
            }.Url());
        }
        var filter = new CompetitorAdFilter(outcome.Added?.Competitor.Id, "", CompetitorAdFilter.All, CompetitorAdFilter.Newest, 1);
        View = new()
        {
            Tab = CreativeTabs.Competitors,
            Competitors = await CompetitorsAsync(filter, null, outcome.Added is { } done ? AddedMessage(done) : outcome.Refusal!.Message, outcome.Refusal is not null,
                outcome.Added is null ? form : null, outcome.Refusal?.Details, cancellationToken),
        };
        if (outcome.Refusal is { } refusal && !Request.IsHtmxFragmentRequest())
        {
            Response.StatusCode = refusal.Status;
        }
        return this.PageOrPartial("_CreativeIntelligence", View);
    }

    private static string AddedMessage(CompetitorsEndpoints.AddedView added) => $"Now watching {added.Competitor.Name}. {added.Sync.Message}";

    private static CompetitorAdFilter ReadFilter(long? competitor, string? q, string? status, string? adSort, string? page, out string? error)
    {
        error = null;
        var chosenStatus = string.IsNullOrWhiteSpace(status) ? CompetitorAdFilter.All : status.Trim().ToLowerInvariant();
        if (!CompetitorAdFilter.Statuses.Any(s => s.Key == chosenStatus))
        {
            error = $"Unknown status \"{status}\"; use one of {string.Join(", ", CompetitorAdFilter.Statuses.Select(s => s.Key))}.";
            chosenStatus = CompetitorAdFilter.All;
        }
        var chosenSort = string.IsNullOrWhiteSpace(adSort) ? CompetitorAdFilter.Newest : adSort.Trim().ToLowerInvariant();
        if (!CompetitorAdFilter.Sorts.Any(s => s.Key == chosenSort))
        {
            error ??= $"Unknown order \"{adSort}\"; use one of {string.Join(", ", CompetitorAdFilter.Sorts.Select(s => s.Key))}.";
            chosenSort = CompetitorAdFilter.Newest;
        }
        var chosenPage = 1;
        if (!string.IsNullOrWhiteSpace(page) && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out chosenPage) || chosenPage < 1))
        {
            error ??= "adsPage is a page number from 1.";
            chosenPage = 1;
        }
        var text = (q ?? "").Trim();
        if (text.Length > CompetitorsEndpoints.MaxSearchTermLength)
        {
            error ??= $"Search for at most {CompetitorsEndpoints.MaxSearchTermLength} characters.";
            text = text[..CompetitorsEndpoints.MaxSearchTermLength];
        }
        return new CompetitorAdFilter(competitor, text, chosenStatus, chosenSort, chosenPage);
    }

    private async Task<CompetitorsView> CompetitorsAsync(CompetitorAdFilter filter, string? error, string? message, bool messageIsProblem, CompetitorForm? form,
        IReadOnlyDictionary<string, string>? formErrors, CancellationToken cancellationToken)
    {
        var list = await competitors.ListAsync(cancellationToken);
        if (filter.CompetitorId is { } id && list.All(c => c.Id != id))
        {
            // Another store's competitor, or one that does not exist: not shown, and said so.
            error ??= "That competitor is not watched by this store.";
            filter = filter with { CompetitorId = null };
        }
        var (ads, total) = await competitors.BrowseAsync(filter, await clock.GetTodayAsync(cancellationToken), cancellationToken);
        return new CompetitorsView
        {
            Competitors = list,
            Connected = await competitors.IsAdLibraryConnectedAsync(cancellationToken),
            CanAdd = CanChange,
            Filter = filter,
            Ads = ads,
            TotalAds = total,
            Form = form ?? new CompetitorForm(),
            FormErrors = formErrors ?? new Dictionary<string, string>(),
            Message = message,
            MessageIsProblem = messageIsProblem,
            Error = error,
        };
    }

    private async Task<TrendsView> TrendsAsync(string? window, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var (days, to, errors) = CreativeTrendsEndpoint.ReadQuery(window, null, today);
        var hasCompetitors = (await competitors.ListAsync(cancellationToken)).Count > 0;
        return errors.Count > 0
            ? new TrendsView { Window = CreativeTrendsQuery.DefaultWindowDays, HasCompetitors = hasCompetitors, Error = string.Join(" ", errors.Values) }
            : new TrendsView { Window = days, HasCompetitors = hasCompetitors, Trends = await trends.GetAsync(to, days, null, cancellationToken) };
    }

    private async Task<CreativesView> YoursAsync(string? from, string? to, string? preset, string? format, string? sort, bool fatigued, bool all,
        string? tabError, CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var today = await clock.GetTodayAsync(cancellationToken);
        var error = tabError;
        if (!DateRangeQuery.TryParse(from, to, preset, today, out var selection, out var rangeError))
        {
            error ??= rangeError!.Message;
        }
        var chosenFormat = string.IsNullOrWhiteSpace(format) ? null : format.Trim().ToLowerInvariant();
        if (chosenFormat is not null && !CreativeFormats.All.Contains(chosenFormat))
        {
            error ??= $"Unknown format \"{format}\"; use one of {string.Join(", ", CreativeFormats.All)}.";
            chosenFormat = null;
        }
        var chosenSort = CreativeSorts.All.Any(s => s.Key == sort) ? sort! : CreativeSorts.Spend;
        var list = error is null
            ? await cards.ListAsync(selection.Range, chosenFormat, fatigued, deliveringOnly: !all, chosenSort, cancellationToken)
            : [];
        return new CreativesView
        {
            Selection = selection,
            Format = chosenFormat,
            Sort = chosenSort,
            FatiguedOnly = fatigued,
            ShowAll = all,
            Formatter = new MetricFormatter(calendar.Currency),
            Cards = list,
            HasCreatives = list.Count > 0 || await cards.AnyAsync(cancellationToken),
            Error = error,
        };
    }
}
