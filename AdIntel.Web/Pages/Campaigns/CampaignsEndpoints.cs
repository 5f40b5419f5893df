using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// <c>/api/campaigns</c>: the campaign screens' numbers as JSON. Every endpoint takes <c>from</c>/<c>to</c> or
/// <c>preset</c> like the screens (default: the last 30 complete days) and lists take <c>sort</c>/<c>dir</c>.
/// Money is rounded to cents, ratios to 4 decimals, and a ratio over zero is null. Unknown ids and other stores'
/// ids are 404 alike: the store filter of the DbContext hides other stores' rows.
/// </summary>
public static class CampaignsEndpoints
{
    public static RouteGroupBuilder MapCampaignsEndpoints(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns").RequireAuthorization(Policies.Viewer);
        campaigns.MapGet("", ListCampaignsAsync);
        campaigns.MapGet("/{id:long}", GetCampaignAsync);
        campaigns.MapGet("/{id:long}/adsets", ListAdSetsAsync);
        campaigns.MapGet("/{id:long}/ads", ListAdsAsync);
        return api;
    }

    private static async Task<IResult> ListCampaignsAsync(HttpRequest request, CampaignPerformanceQuery performance, StoreClock clock, CancellationToken cancellationToken)
    {
        var (query, error) = await ReadQueryAsync(request, clock, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        var rows = await performance.GetCampaignsAsync(query!.Range, cancellationToken);
        return ApiResults.List(query.Sort.Apply(rows).Select(Item).ToList());
    }

    private static async Task<IResult> GetCampaignAsync(long id, HttpRequest request, CampaignPerformanceQuery performance, StoreClock clock, CancellationToken cancellationToken)
    {
        var (query, error) = await ReadQueryAsync(request, clock, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        if (await performance.GetCampaignAsync(id, query!.Range, cancellationToken) is not { } campaign)
        {
            return ApiResults.NotFound("The campaign");
        }
        var item = Item(campaign.Campaign);
        item["adSetCount"] = campaign.AdSets.Count;
        item["adCount"] = campaign.AdCount;
        item["period"] = new Period(query.Range.From, query.Range.To);
        return ApiResults.Ok(item);
    }

    private static async Task<IResult> ListAdSetsAsync(long id, HttpRequest request, CampaignPerformanceQuery performance, StoreClock clock, CancellationToken cancellationToken)
    {
        var (query, error) = await ReadQueryAsync(request, clock, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        return await performance.GetCampaignAsync(id, query!.Range, cancellationToken) is { } campaign
            ? ApiResults.List(query.Sort.Apply(campaign.AdSets).Select(Item).ToList())
            : ApiResults.NotFound("The campaign");
    }

    private static async Task<IResult> ListAdsAsync(long id, HttpRequest request, CampaignPerformanceQuery performance, StoreClock clock, CancellationToken cancellationToken)
    {
        var (query, error) = await ReadQueryAsync(request, clock, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        return await performance.GetCampaignAdsAsync(id, query!.Range, cancellationToken) is { } ads
            ? ApiResults.List(query.Sort.Apply(ads).Select(Item).ToList())
            : ApiResults.NotFound("The campaign");
    }

    private static async Task<(ApiQuery? Query, IResult? Error)> ReadQueryAsync(HttpRequest request, StoreClock clock, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var q = request.Query;
        if (!DateRangeQuery.TryParse(q["from"], q["to"], q["preset"], today, out var selection, out var rangeError))
        {
            return (null, ApiResults.Error(StatusCodes.Status400BadRequest, DateRangeQuery.ErrorCode, rangeError!.Message,
                new { parameter = rangeError.Parameter, value = rangeError.Value }));
        }
        if (!PerformanceSort.TryParse(q["sort"], q["dir"], out var sort, out var sortError))
        {
            return (null, ApiResults.BadRequest(sortError!, new { allowed = PerformanceSort.Keys }));
        }
        return (new ApiQuery(selection.Range, sort), null);
    }

    /// <summary>One campaign, ad set or ad: identity, level-specific fields, then the metrics, flat like the rules' variables.</summary>
    public static OrderedDictionary<string, object?> Item(PerformanceRow row)
    {
        var item = new OrderedDictionary<string, object?>
        {
            ["id"] = row.Id,
            ["externalId"] = row.ExternalId,
            ["name"] = row.Name,
            ["status"] = row.StatusKey,
        };
        switch (row.Level)
        {
            case PerformanceLevel.Campaign:
                item["objective"] = row.Objective;
                break;
            case PerformanceLevel.AdSet:
                item["campaignId"] = row.CampaignId;
                item["learning"] = row.IsLearning;
                item["learningLimited"] = row.Learning == LearningState.Limited;
                break;
            case PerformanceLevel.Ad:
                item["campaignId"] = row.CampaignId;
                item["adSetId"] = row.AdSetId;
                item["creativeType"] = row.CreativeType;
                break;
        }
        item["startDate"] = row.StartDate;
        item["tags"] = row.Tags;
        if (row.Level == PerformanceLevel.Campaign)
        {
            item["automation"] = row.Automation;
        }
        if (row.Level != PerformanceLevel.Ad)
        {
            item["dailyBudget"] = Money(row.DailyBudget);
            item["budgetLevel"] = row.BudgetLevel;
        }
        var totals = row.Totals;
        item["spend"] = Money(totals.Spend);
        item["impressions"] = totals.Impressions;
        item["reach"] = totals.Reach;
        item["linkClicks"] = totals.LinkClicks;
        item["ctr"] = Ratio(totals.Ctr);
        item["cpc"] = Money(totals.Cpc);
        item["cpm"] = Money(totals.Cpm);
        item["frequency"] = Ratio(totals.Frequency);
        item["purchases"] = Math.Round(totals.Purchases, 2, MidpointRounding.AwayFromZero);
        item["purchaseValue"] = Money(totals.PurchaseValue);
        item["roas"] = Ratio(totals.Roas);
        item["cpa"] = Money(totals.Cpa);
        item["estimatedProfit"] = Money(totals.EstimatedProfit);
        item["poas"] = Ratio(totals.Poas);
        return item;
    }

    public static object? Money(decimal? value) => MetricDefinition.Round(MetricFormat.Money, value);

    public static object? Ratio(decimal? value) => MetricDefinition.Round(MetricFormat.Ratio, value);

    private sealed record ApiQuery(DateRange Range, PerformanceSort Sort);

    private sealed record Period(DateOnly From, DateOnly To);
}
