using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using AdIntel.Web.Rules.Actions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns/{id}/adsets/{adSetId}/ads/{adId}</c>: one ad, its creative, its delivery and its status controls.</summary>
public sealed class AdModel(CampaignPerformanceQuery performance, AdIntelDbContext db, StoreClock clock, ActionExecutor executor)
    : PerformancePageModel(clock, executor)
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public long AdSetId { get; set; }

    [BindProperty(SupportsGet = true)]
    public long AdId { get; set; }

    protected override async Task<PerformanceReport?> LoadReportAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        var (id, adSetId, adId) = (Id, AdSetId, AdId);
        // The ad must be of this ad set of this campaign, in this store: anything else is not found.
        var adSet = await performance.GetAdSetAsync(id, adSetId, query.Selection.Range, cancellationToken);
        if (adSet?.Ads.FirstOrDefault(a => a.Id == adId) is not { } ad)
        {
            return null;
        }
        var range = query.Selection.Range;
        return new PerformanceReport
        {
            Level = PerformanceLevel.Ad,
            Title = ad.Name,
            Path = $"/campaigns/{id}/adsets/{adSetId}/ads/{adId}",
            Selection = query.Selection,
            Sort = query.Sort,
            Currency = query.Currency,
            Notice = query.Notice,
            Subject = ad,
            Rows = [],
            Totals = ad.Totals,
            Creative = await db.AdCreatives.AsNoTracking().FirstOrDefaultAsync(c => c.AdId == adId, cancellationToken),
            Fatigue = await CreativeReport.JudgeFatigueAsync(db, adId, range.To, cancellationToken),
            Breadcrumbs =
            [
                new("Campaigns", PerformanceReport.UrlFor("/campaigns", query.Selection, query.Sort)),
                new(adSet.Campaign.Name, PerformanceReport.UrlFor($"/campaigns/{id}", query.Selection, query.Sort)),
                new(adSet.AdSet.Name, PerformanceReport.UrlFor($"/campaigns/{id}/adsets/{adSetId}", query.Selection, query.Sort)),
                new(ad.Name, null),
            ],
        };
    }
}
