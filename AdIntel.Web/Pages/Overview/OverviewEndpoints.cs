using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Overview;

public static class OverviewEndpoints
{
    /// <summary>What <c>/api/overview/timeseries</c> returns when no <c>metrics</c> are asked for.</summary>
    public static IReadOnlyList<string> DefaultSeriesMetrics { get; } =
        ["totalSales", "netSales", "adSpend", "mer", "roas", "orders", "newCustomers", "contributionMargin", "profitAfterAds"];

    public static RouteGroupBuilder MapOverviewEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/overview", GetOverviewAsync).RequireAuthorization(Policies.Viewer);
        api.MapGet("/overview/timeseries", GetTimeseriesAsync).RequireAuthorization(Policies.Viewer);
        return api;
    }

    /// <summary>The period's metrics (<see cref="MetricDefinitions"/>) and the same metrics for the period of equal length right before it.</summary>
    private static async Task<IResult> GetOverviewAsync(string? from, string? to, string? preset, StoreClock clock, MetricsService metrics,
        CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        if (!DateRangeQuery.TryParse(from, to, preset, today, out var selection, out var error))
        {
            return error!.ToApiError();
        }
        var (current, previous) = await metrics.GetComparisonAsync(selection.Range, cancellationToken);
        var targets = await metrics.GetTargetsAsync(cancellationToken);
        return ApiResults.Ok(new OverviewResponse(
            new Period(current.Period.From, current.Period.To),
            selection.Preset,
            MetricDefinitions.ToApiObject(current),
            new Period(previous.Period.From, previous.Period.To),
            MetricDefinitions.ToApiObject(previous),
            TargetsObject(targets, current)));
    }

    private static async Task<IResult> GetTimeseriesAsync(string? from, string? to, string? preset, string? metrics, StoreClock clock,
        MetricsService metricsService, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        if (!DateRangeQuery.TryParse(from, to, preset, today, out var selection, out var error))
        {
            return error!.ToApiError();
        }
        var requested = string.IsNullOrWhiteSpace(metrics)
            ? DefaultSeriesMetrics
            : metrics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        var unknown = requested.Where(key => !MetricDefinitions.TryGet(key, out _)).ToList();
        if (unknown.Count > 0)
        {
            var valid = MetricDefinitions.All.Select(m => m.Key).ToList();
            return ApiResults.BadRequest(
                $"Unknown metric{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(u => $"\"{u}\""))}. Valid metrics: {string.Join(", ", valid)}.",
                new { unknown, valid });
        }

        var definitions = requested.Select(MetricDefinitions.Get).ToList();
        var series = await metricsService.GetDailySeriesAsync(selection.Range, cancellationToken);
        var points = series.Select(point =>
        {
            var row = new Dictionary<string, object?>(definitions.Count + 1, StringComparer.Ordinal) { ["date"] = point.Date };
            foreach (var definition in definitions)
            {
                row[definition.Key] = definition.ApiValue(point.Kpis);
            }
            return row;
        }).ToList();
        return ApiResults.Ok(points);
    }

    /// <summary>
    /// The <c>targets</c> object: per metric with a target, the target, which side is good, whether it is the default,
    /// the period's value and whether it is on target (null without a value); <c>cpa</c> is the target ads are judged by.
    /// </summary>
    public static Dictionary<string, object> TargetsObject(StoreTargetsNow targets, KpiSet current)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var target in targets.Targets.KpiTargets)
        {
            var metric = MetricDefinitions.Get(target.Metric);
            var value = metric.Value(current);
            result[target.Metric] = new KpiTargetView(target.Comparison, MetricDefinition.Round(metric.Format, target.Value)!, target.IsDefault,
                metric.ApiValue(current), target.IsMet(value));
        }
        result["cpa"] = new CpaTargetView("below", targets.Cpa is { } cpa ? Math.Round(cpa, 2, MidpointRounding.AwayFromZero) : null, targets.CpaBasis,
            new Period(targets.BreakEvenWindow.From, targets.BreakEvenWindow.To));
        return result;
    }

    public sealed record Period(DateOnly From, DateOnly To);

    /// <summary><c>preset</c> is the preset's key, or "custom" for explicit dates.</summary>
    public sealed record OverviewResponse(Period Period, string Preset, Dictionary<string, object?> Kpis, Period PreviousPeriod,
        Dictionary<string, object?> Previous, Dictionary<string, object> Targets);

    /// <summary>A store metric's target: <c>comparison</c> above or below, <c>onTarget</c> null when the period has no value.</summary>
    public sealed record KpiTargetView(string Comparison, object Target, bool IsDefault, object? Value, bool? OnTarget);

    /// <summary>The cost per purchase ads are judged by: the store's setting, or break-even over <c>breakEvenPeriod</c> (null without orders or margin).</summary>
    public sealed record CpaTargetView(string Comparison, decimal? Target, string Basis, Period BreakEvenPeriod);
}
