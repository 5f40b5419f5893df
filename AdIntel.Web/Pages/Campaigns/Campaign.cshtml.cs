using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns/{id}</c>: one campaign and its ad sets.</summary>
public sealed class CampaignModel(CampaignPerformanceQuery performance, StoreClock clock) : PerformancePageModel(clock)
{
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var query = await ReadQueryAsync(cancellationToken);
        var campaign = await performance.GetCampaignAsync(id, query.Selection.Range, cancellationToken);
        if (campaign is null)
        {
            return NotFound();
        }
        Report = new PerformanceReport
        {
            Level = PerformanceLevel.AdSet,
            Title = campaign.Campaign.Name,
            Path = $"/campaigns/{id}",
            Selection = query.Selection,
            Sort = query.Sort,
            Currency = query.Currency,
            Notice = query.Notice,
            Subject = campaign.Campaign,
            Rows = query.Sort.Apply(campaign.AdSets),
            Totals = campaign.Campaign.Totals,
            Breadcrumbs = [new("Campaigns", PerformanceReport.UrlFor("/campaigns", query.Selection, query.Sort)), new(campaign.Campaign.Name, null)],
        };
        return Render();
    }
}
