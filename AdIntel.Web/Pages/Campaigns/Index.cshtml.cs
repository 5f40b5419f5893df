using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns</c>: every campaign of the store over the chosen range.</summary>
public sealed class IndexModel(CampaignPerformanceQuery performance, StoreClock clock, ActionExecutor executor) : PerformancePageModel(clock, executor)
{
    protected override async Task<PerformanceReport?> LoadReportAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        var campaigns = await performance.GetCampaignsAsync(query.Selection.Range, cancellationToken);
        return new PerformanceReport
        {
            Level = PerformanceLevel.Campaign,
            Title = "Campaigns",
            Path = "/campaigns",
            Selection = query.Selection,
            Sort = query.Sort,
            Currency = query.Currency,
            Notice = query.Notice,
            Rows = query.Sort.Apply(campaigns),
            Totals = DeliveryTotals.Sum(campaigns.Select(c => c.Totals)),
            HasAdData = campaigns.Count > 0,
        };
    }
}
