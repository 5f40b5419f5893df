using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns</c>: every campaign of the store over the chosen range.</summary>
public sealed class IndexModel(CampaignPerformanceQuery performance, StoreClock clock) : PerformancePageModel(clock)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = await ReadQueryAsync(cancellationToken);
        var campaigns = await performance.GetCampaignsAsync(query.Selection.Range, cancellationToken);
        Report = new PerformanceReport
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
        return Render();
    }
}
