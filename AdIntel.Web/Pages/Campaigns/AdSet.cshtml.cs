using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns/{id}/adsets/{adSetId}</c>: one ad set and its ads.</summary>
public sealed class AdSetModel(CampaignPerformanceQuery performance, StoreClock clock, ActionExecutor executor) : PerformancePageModel(clock, executor)
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public long AdSetId { get; set; }

    protected override async Task<PerformanceReport?> LoadReportAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        var (id, adSetId) = (Id, AdSetId);
        var adSet = await performance.GetAdSetAsync(id, adSetId, query.Selection.Range, cancellationToken);
        if (adSet is null)
        {
            return null;
        }
        return new PerformanceReport
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
    }
}
