using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns/{id}</c>: one campaign and its ad sets.</summary>
public sealed class CampaignModel(CampaignPerformanceQuery performance, StoreClock clock, ActionExecutor executor) : PerformancePageModel(clock, executor)
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    protected override async Task<PerformanceReport?> LoadReportAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        var id = Id;
        var campaign = await performance.GetCampaignAsync(id, query.Selection.Range, cancellationToken);
        if (campaign is null)
        {
            return null;
        }
        return new PerformanceReport
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
    }
}
