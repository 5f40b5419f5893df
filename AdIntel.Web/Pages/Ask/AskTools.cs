using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace AdIntel.Web.Pages.Ask;

/// <summary>
/// The tools Ask AdIntel gives the model (<see cref="Brain.Llm.Ask.AskAdIntel"/> runs the conversation): read-only
/// queries of the current store through the screens' own services (the metrics module, the campaigns query, the rule
/// run log), with the same rounding as the API. A bad argument comes
/// back as <c>{"error": …}</c> for the model to correct, never as an exception.
/// </summary>
public sealed class AskTools(MetricsService metrics, CampaignPerformanceQuery campaigns, AdIntelDbContext db, StoreClock clock)
{
    /// <summary>The longest period a tool reads.</summary>
    public const int MaxDays = 400;

    public const int MaxCampaigns = 25;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public IList<AITool> All() =>
    [
        Tool(GetKpisAsync, "get_kpis",
            "The store's KPIs for a period of store-local days (sales, orders, ad spend, MER, ROAS, nc-ROAS, CAC, AOV, margins, profit after ads; ratios as fractions) and the same KPIs for the period of equal length right before it."),
        Tool(RankCampaignsAsync, "rank_campaigns",
            "Campaigns with delivery in a period, ranked by one metric: spend, purchaseValue, purchases, roas, cpa, ctr, cpc, cpm, frequency, impressions, reach, linkClicks or dailyBudget."),
        Tool(GetDailySeriesAsync, "get_daily_series",
            "One value per day of a period: for the store (sales, spend, MER, orders, new customers) or for one campaign, ad set or ad by its id (spend, purchases, purchase value, ROAS, CTR, CPM, frequency)."),
        Tool(GetRuleOutcomesAsync, "get_rule_outcomes",
            "What the store's automation rules did in a period: per rule its runs, failed runs, entities matched and actions executed, queued for approval or blocked by the safety rails, and its last run."),
    ];

    private static AIFunction Tool(Delegate method, string name, string description) =>
        AIFunctionFactory.Create(method, new AIFunctionFactoryOptions { Name = name, Description = description, SerializerOptions = Json });

    public async Task<object> GetKpisAsync(
        [Description("First day, YYYY-MM-DD")] string from,
        [Description("Last day, YYYY-MM-DD (inclusive)")] string to,
        CancellationToken cancellationToken)
    {
        if (Range(from, to) is not { } range)
        {
            return RangeError(from, to);
        }
        var (current, previous) = await metrics.GetComparisonAsync(range, cancellationToken);
        return new
        {
            period = Period(range),
            kpis = MetricDefinitions.ToApiObject(current),
            previousPeriod = Period(previous.Period),
            previous = MetricDefinitions.ToApiObject(previous),
        };
    }

    public async Task<object> RankCampaignsAsync(
        [Description("First day, YYYY-MM-DD")] string from,
        [Description("Last day, YYYY-MM-DD (inclusive)")] string to,
        [Description("The metric to rank by, e.g. roas, spend, cpa")] string metric,
        [Description("desc (highest first, the default) or asc")] string? direction = null,
        [Description("How many campaigns, 1 to 25 (default 10)")] int? limit = null,
        CancellationToken cancellationToken = default)
    {
        if (Range(from, to) is not { } range)
        {
            return RangeError(from, to);
        }
        if (!PerformanceSort.TryParse(metric, direction ?? "desc", out var sort, out var error))
        {
            return new { error };
        }
        var rows = await campaigns.GetCampaignsAsync(range, cancellationToken);
        var take = Math.Clamp(limit ?? 10, 1, MaxCampaigns);
        return new
        {
            period = Period(range),
            rankedBy = sort.Key,
            direction = sort.Direction,
            campaigns = sort.Apply(rows.Where(r => r.Totals.HasDelivery)).Take(take).Select(CampaignsEndpoints.Item).ToList(),
        };
    }

    public async Task<object> GetDailySeriesAsync(
        [Description("store, campaign, ad_set or ad")] string entityType,
        [Description("First day, YYYY-MM-DD")] string from,
        [Description("Last day, YYYY-MM-DD (inclusive)")] string to,
        [Description("The campaign's, ad set's or ad's id (as rank_campaigns returns it); omit for the store")] long? entityId = null,
        CancellationToken cancellationToken = default)
    {
        if (Range(from, to) is not { } range)
        {
            return RangeError(from, to);
        }
        if (string.Equals(entityType, "store", StringComparison.OrdinalIgnoreCase))
        {
            var series = await metrics.GetDailySeriesAsync(range, cancellationToken);
            string[] keys = ["totalSales", "adSpend", "mer", "roas", "orders", "newCustomers", "profitAfterAds"];
            return new
            {
                entity = "store",
                period = Period(range),
                days = series.Select(point => keys.Aggregate(new Dictionary<string, object?> { ["date"] = Day(point.Date) },
                    (row, key) => { row[key] = MetricDefinitions.Get(key).ApiValue(point.Kpis); return row; })).ToList(),
            };
        }
        PerformanceLevel? level = entityType.ToLowerInvariant() switch
        {
            "campaign" => PerformanceLevel.Campaign,
            "ad_set" or "adset" => PerformanceLevel.AdSet,
            "ad" => PerformanceLevel.Ad,
            _ => null,
        };
        if (level is null)
        {
            return new { error = $"entityType \"{entityType}\" must be store, campaign, ad_set or ad." };
        }
        if (entityId is not { } id || await campaigns.GetDailyDeliveryAsync(level.Value, id, range, cancellationToken) is not { } delivery)
        {
            return new { error = $"No {entityType} with id {entityId} in this store." };
        }
        return new
        {
            entity = entityType.ToLowerInvariant(),
            id = delivery.Id,
            name = delivery.Name,
            period = Period(range),
            days = delivery.Days.Select(d => new
            {
                date = Day(d.Date),
                spend = CampaignsEndpoints.Money(d.Totals.Spend),
                purchases = Math.Round(d.Totals.Purchases, 2, MidpointRounding.AwayFromZero),
                purchaseValue = CampaignsEndpoints.Money(d.Totals.PurchaseValue),
                roas = CampaignsEndpoints.Ratio(d.Totals.Roas),
                ctr = CampaignsEndpoints.Ratio(d.Totals.Ctr),
                cpm = CampaignsEndpoints.Money(d.Totals.Cpm),
                frequency = CampaignsEndpoints.Ratio(d.Totals.Frequency),
            }).ToList(),
        };
    }

    public async Task<object> GetRuleOutcomesAsync(
        [Description("First day, YYYY-MM-DD")] string from,
        [Description("Last day, YYYY-MM-DD (inclusive)")] string to,
        CancellationToken cancellationToken)
    {
        if (Range(from, to) is not { } range)
        {
            return RangeError(from, to);
        }
        var zone = (await clock.GetCalendarAsync(cancellationToken)).TimeZone;
        var start = TimeZoneInfo.ConvertTimeToUtc(range.From.ToDateTime(TimeOnly.MinValue), zone);
        var end = TimeZoneInfo.ConvertTimeToUtc(range.To.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        var runs = await db.RuleExecutions.AsNoTracking()
            .Where(e => e.StartedAtUtc >= start && e.StartedAtUtc < end)
            .Join(db.Rules, e => e.RuleId, r => r.Id, (e, r) => new
            {
                RuleName = r.Name, e.RuleId, e.StartedAtUtc, e.Status, e.Message, e.Matched, e.ActionsExecuted, e.ActionsQueued, e.ActionsBlocked,
            })
            .ToListAsync(cancellationToken);
        return new
        {
            period = Period(range),
            rules = runs.GroupBy(r => (r.RuleId, r.RuleName)).OrderBy(g => g.Key.RuleName, StringComparer.OrdinalIgnoreCase).Select(g =>
            {
                var last = g.MaxBy(r => r.StartedAtUtc)!;
                return new
                {
                    ruleId = g.Key.RuleId,
                    rule = g.Key.RuleName,
                    runs = g.Count(),
                    failedRuns = g.Count(r => r.Status == Domain.RuleExecutionStatuses.Failed),
                    matched = g.Sum(r => r.Matched),
                    actionsExecuted = g.Sum(r => r.ActionsExecuted),
                    actionsQueued = g.Sum(r => r.ActionsQueued),
                    actionsBlocked = g.Sum(r => r.ActionsBlocked),
                    lastRun = new { day = Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(last.StartedAtUtc, zone))), status = last.Status, message = last.Message },
                };
            }).ToList(),
        };
    }

    private static DateRange? Range(string from, string to) =>
        DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
        && DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last)
        && first <= last && last.DayNumber - first.DayNumber < MaxDays
            ? new DateRange(first, last)
            : null;

    private static object RangeError(string from, string to) => new
    {
        error = $"from \"{from}\" and to \"{to}\" must be days written YYYY-MM-DD, from not after to, at most {MaxDays} days apart.",
    };

    private static object Period(DateRange range) => new { from = Day(range.From), to = Day(range.To), days = range.Days };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
