using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Campaigns;

public sealed record Breadcrumb(string Label, string? Url);

/// <summary>
/// What the campaigns screens render (full page or, for htmx, the same markup as a fragment): a header, the range
/// controls, a totals strip and one sortable table of campaigns, ad sets or ads.
/// </summary>
public sealed class PerformanceReport
{
    /// <summary>The level of the table's rows.</summary>
    public required PerformanceLevel Level { get; init; }

    public required string Title { get; init; }

    /// <summary>The address of this screen without a query.</summary>
    public required string Path { get; init; }

    public required DateRangeSelection Selection { get; init; }

    public required PerformanceSort Sort { get; init; }

    public required string Currency { get; init; }

    /// <summary>Rows in <see cref="Sort"/> order.</summary>
    public required IReadOnlyList<PerformanceRow> Rows { get; init; }

    public required DeliveryTotals Totals { get; init; }

    public IReadOnlyList<Breadcrumb> Breadcrumbs { get; init; } = [];

    /// <summary>The campaign or ad set this screen is about (null on the campaign list).</summary>
    public PerformanceRow? Subject { get; init; }

    /// <summary>The ad's creative on an ad's page (null elsewhere, or when the ad has none yet).</summary>
    public AdIntel.Web.Domain.AdCreative? Creative { get; init; }

    /// <summary>On an ad's page: the creative report's fatigue verdict at the range's end (null: not fatigued).</summary>
    public string? Fatigue { get; init; }

    /// <summary>This screen is one ad's page: its creative instead of a table of rows.</summary>
    public bool IsAdPage => Subject?.Level == PerformanceLevel.Ad;

    /// <summary>False when the store has no campaigns at all: the screen shows how to import them.</summary>
    public bool HasAdData { get; init; } = true;

    /// <summary>Why the requested range or order was not used, shown above the report.</summary>
    public string? Notice { get; init; }

    /// <summary>Rendered as an htmx fragment: the fragment then carries its own &lt;title&gt;.</summary>
    public bool IsFragment { get; set; }

    /// <summary>Whether the viewer may pause, enable and change budgets here (marketers and owners).</summary>
    public bool CanChange { get; set; }

    /// <summary>What the last manual change or undo did, if anything.</summary>
    public ControlOutcome? Control { get; set; }

    /// <summary>The API scope of this screen's rows: campaign, ad_set or ad.</summary>
    public static string ScopeOf(PerformanceLevel level) => level switch
    {
        PerformanceLevel.Campaign => "campaign",
        PerformanceLevel.AdSet => "ad_set",
        _ => "ad",
    };

    /// <summary>Where this screen's forms post, keeping range and order.</summary>
    public string ActionUrl(string handler) => Url(Sort) + (Url(Sort).Contains('?', StringComparison.Ordinal) ? "&" : "?") + "handler=" + handler;

    public IReadOnlyList<PerformanceColumn> Columns => PerformanceColumn.For(Level);

    public string RowNoun => Level switch
    {
        PerformanceLevel.Campaign => "campaigns",
        PerformanceLevel.AdSet => "ad sets",
        _ => "ads",
    };

    /// <summary>This screen in another order.</summary>
    public string Url(PerformanceSort sort) => UrlFor(Path, Selection, sort);

    /// <summary>This screen over a preset's range, in the same order.</summary>
    public string Url(DatePreset preset) => UrlFor(Path, preset.Key, Selection.Range, Sort);

    /// <summary>Where a row drills down to, keeping range and order.</summary>
    public string RowUrl(PerformanceRow row) => row.Level switch
    {
        PerformanceLevel.Campaign => UrlFor($"/campaigns/{row.Id}", Selection, Sort),
        PerformanceLevel.AdSet => UrlFor($"/campaigns/{row.CampaignId}/adsets/{row.Id}", Selection, Sort),
        _ => UrlFor($"/campaigns/{row.CampaignId}/adsets/{row.AdSetId}/ads/{row.Id}", Selection, Sort),
    };

    /// <summary>Presets stay relative (<c>?preset=7d</c> means "the last 7 days" whenever the link is opened); custom ranges carry dates.</summary>
    public static string UrlFor(string path, DateRangeSelection selection, PerformanceSort sort) =>
        UrlFor(path, selection.Preset, selection.Range, sort);

    private static string UrlFor(string path, string preset, DateRange range, PerformanceSort sort)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (preset == DatePreset.Custom)
        {
            query.Add(new("from", range.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            query.Add(new("to", range.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        else
        {
            query.Add(new("preset", preset));
        }
        if (sort != PerformanceSort.Default)
        {
            query.Add(new("sort", sort.Key));
            query.Add(new("dir", sort.Direction));
        }
        return path + QueryString.Create(query);
    }
}
