using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Overview;

/// <summary>Everything the overview's swappable body (<c>_OverviewBody</c>) shows for one date range.</summary>
public sealed class OverviewBody
{
    /// <summary>The cards of the overview, in reading order. The ROAS card shows nc-ROAS beside it.</summary>
    public static IReadOnlyList<string> CardMetrics { get; } =
        ["totalSales", "adSpend", "mer", "roas", "cac", "ltvToCac", "paybackDays", "contributionMargin", "profitAfterAds", "aov", "orders", "newCustomers"];

    private const int CampaignsShown = 3;

    public required DateRangeSelection Selection { get; init; }
    public required MetricFormatter Format { get; init; }
    /// <summary>Set when the query's dates were refused; the body then shows the message and the range controls only.</summary>
    public DateRangeError? Error { get; init; }
    public bool HasData { get; init; }
    public KpiSet? Current { get; init; }
    public KpiSet? Previous { get; init; }
    public IReadOnlyList<DailyPoint> Series { get; init; } = [];
    public OverviewChart? Chart { get; init; }
    public IReadOnlyList<KpiCard> Cards { get; init; } = [];
    public IReadOnlyList<CampaignProfit> BestCampaigns { get; init; } = [];
    public IReadOnlyList<CampaignProfit> WorstCampaigns { get; init; } = [];
    /// <summary>False when the period has no sales, so no margin ratio exists to estimate campaign profit with.</summary>
    public bool CampaignProfitKnown { get; init; }

    public DateRange Range => Selection.Range;

    public static async Task<OverviewBody> LoadAsync(MetricsService metrics, DateRangeSelection selection, MetricFormatter format,
        StoreTargets targets, CancellationToken cancellationToken)
    {
        if (!await metrics.HasDataAsync(cancellationToken))
        {
            return new OverviewBody { Selection = selection, Format = format };
        }
        var (current, previous) = await metrics.GetComparisonAsync(selection.Range, cancellationToken);
        var series = await metrics.GetDailySeriesAsync(selection.Range, cancellationToken);
        var campaigns = await metrics.GetCampaignProfitsAsync(current, cancellationToken);

        var ranked = campaigns.Where(c => c.EstimatedProfit is not null).OrderByDescending(c => c.EstimatedProfit).ThenBy(c => c.Name).ToList();
        // Few campaigns are split between the two lists, so a loss-maker never shows up as one of the "best".
        var best = ranked.Take(Math.Min(CampaignsShown, (ranked.Count + 1) / 2)).ToList();
        var worst = ranked.Skip(best.Count).Reverse().Take(CampaignsShown).ToList();

        return new OverviewBody
        {
            Selection = selection,
            Format = format,
            HasData = true,
            Current = current,
            Previous = previous,
            Series = series,
            Chart = OverviewChart.Build(series, format),
            Cards = CardMetrics.Select(key => KpiCard.Create(MetricDefinitions.Get(key), current, previous, format, targets)).ToList(),
            BestCampaigns = best,
            WorstCampaigns = worst,
            CampaignProfitKnown = campaigns.Count == 0 || ranked.Count > 0,
        };
    }

    public static string FormatRange(DateRange range)
    {
        var culture = CultureInfo.InvariantCulture;
        if (range.From == range.To)
        {
            return range.From.ToString("MMM d, yyyy", culture);
        }
        var from = range.From.Year == range.To.Year ? range.From.ToString("MMM d", culture) : range.From.ToString("MMM d, yyyy", culture);
        return $"{from} – {range.To.ToString("MMM d, yyyy", culture)}";
    }

    public static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One KPI card: the value, its change against the previous period, the formula behind it and, for metrics with a target, whether it meets it.</summary>
public sealed record KpiCard(MetricDefinition Metric, string Value, string PreviousValue, KpiDelta? Delta, string? Note, TargetBadge? Target = null)
{
    public static KpiCard Create(MetricDefinition metric, KpiSet current, KpiSet previous, MetricFormatter format, StoreTargets? targets = null) =>
        new(metric, format.Format(metric, current), format.Format(metric, previous),
            KpiDelta.Compare(metric, metric.Value(current), metric.Value(previous)), Explain(metric, current, format),
            TargetBadge.For(targets?.For(metric.Key), metric.Value(current), format));

    /// <summary>What a card's number rests on, or why it shows a dash, in words.</summary>
    private static string? Explain(MetricDefinition metric, KpiSet kpis, MetricFormatter format) => metric.Key switch
    {
        "ltvToCac" when kpis.LtvBasis == LtvBasis.InsufficientHistory => "Needs customers whose first order is a year old",
        "paybackDays" when kpis.LtvBasis == LtvBasis.InsufficientHistory => "Needs customers whose first order is a year old",
        "paybackDays" when kpis.Cac is not null && kpis.PaybackDays is null => "CAC not paid back within 365 days",
        "paybackDays" when kpis.PaybackDays == 0 => "The first order already pays back CAC",
        "ltvToCac" or "cac" or "paybackDays" when kpis.NewCustomers == 0 => "No new customers in this period",
        _ when metric.Value(kpis) is null && metric.Key is "mer" or "roas" or "ncRoas" or "poas" => "No spend in this period",
        "ltvToCac" when kpis.Ltv is { } ltv => $"LTV {format.Money(ltv)} ({(kpis.LtvBasis == LtvBasis.Predicted ? "predicted" : "first-year gross profit")})",
        _ => null,
    };
}

/// <summary>"On target" or "Off target" on a KPI card, with the target in words; none when the period has no value to judge.</summary>
public sealed record TargetBadge(bool OnTarget, string Text, string Description)
{
    public static TargetBadge? For(KpiTarget? target, decimal? value, MetricFormatter format) =>
        target?.IsMet(value) is not { } met
            ? null
            : new TargetBadge(met, met ? "On target" : "Off target", $"Target: {target.Describe(format)}{(target.IsDefault ? " (default)" : "")}");

    public string CssClass => OnTarget ? "badge active target-badge" : "badge critical target-badge";
}

/// <summary>
/// Change against the previous period as a percentage, with where it went (up/down) and what that means
/// (good/bad, by the metric's direction). Null when there is nothing to compare with.
/// </summary>
public sealed record KpiDelta(string Text, string CssClass, string Description)
{
    public static KpiDelta? Compare(MetricDefinition metric, decimal? current, decimal? previous)
    {
        if (current is not { } now || previous is not { } before || before == 0)
        {
            return null;
        }
        var change = (now - before) / Math.Abs(before);
        var rounded = Math.Round(change, 3, MidpointRounding.AwayFromZero);
        var text = Math.Abs(rounded).ToString("0.0%", CultureInfo.InvariantCulture);
        if (rounded == 0)
        {
            return new KpiDelta(text, "delta", "Unchanged from the previous period");
        }
        var up = rounded > 0;
        var verdict = metric.Direction switch
        {
            MetricDirection.HigherIsBetter => up ? "good" : "bad",
            MetricDirection.LowerIsBetter => up ? "bad" : "good",
            _ => null,
        };
        var css = "delta " + (up ? "up" : "down") + (verdict is null ? "" : " " + verdict);
        var description = $"{(up ? "Up" : "Down")} {text} from the previous period" + (verdict is null ? "" : $" ({verdict})");
        return new KpiDelta(text, css, description);
    }
}
