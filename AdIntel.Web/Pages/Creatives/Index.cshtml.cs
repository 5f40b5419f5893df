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

/// <summary>
/// Creatives as cards: thumbnail, copy, call to action, format and the period's spend, ROAS, CPA and CTR with the
/// fatigue flag. One GET handler renders the page or, for the filters' htmx requests, its body (the URL is pushed).
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(CreativeCardsQuery cards, StoreClock clock) : PageModel
{
    public CreativesView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? preset, string? format, string? sort, bool fatigued, bool all,
        CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var today = await clock.GetTodayAsync(cancellationToken);
        string? error = null;
        if (!DateRangeQuery.TryParse(from, to, preset, today, out var selection, out var rangeError))
        {
            error = rangeError!.Message;
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
        View = new CreativesView
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
        if (error is not null && !Request.IsHtmxFragmentRequest())
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return this.PageOrPartial("_CreativesBody", View);
    }
}
