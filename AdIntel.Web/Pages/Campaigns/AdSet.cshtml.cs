using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns/{id}/adsets/{adSetId}</c>: one ad set and its ads.</summary>
public sealed class AdSetModel(CampaignPerformanceQuery performance, StoreClock clock) : PerformancePageModel(clock)
{
    public async Task<IActionResult> OnGetAsync(long id, long adSetId, CancellationToken cancellationToken)
    {
        var query = await ReadQueryAsync(cancellationToken);
        var adSet = await performance.GetAdSetAsync(id, adSetId, query.Selection.Range, cancellationToken);
        if (adSet is null)
        {
            return NotFound();
        }
        Report = new PerformanceReport
        {
            Level = PerformanceLevel.Ad,
            Title = adSet.AdSet.Name,
            Path = $"/campaigns/{id}/adsets/{adSetId}",
            Selection = query.Selection,
            Sort = query.Sort,
            Currency = query.Currency,
            Notice = query.Notice,
            Subject = adSet.AdSet,
            Rows = query.Sort.Apply(adSet.Ads),
            Totals = adSet.AdSet.Totals,
            Breadcrumbs =
            [
                new("Campaigns", PerformanceReport.UrlFor("/campaigns", query.Selection, query.Sort)),
                new(adSet.Campaign.Name, PerformanceReport.UrlFor($"/campaigns/{id}", query.Selection, query.Sort)),
                new(adSet.AdSet.Name, null),
            ],
        };
        return Render();
    }
}
