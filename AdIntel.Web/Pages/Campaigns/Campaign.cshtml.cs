using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Actions;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary><c>/campaigns/{id}</c>: one campaign and its ad sets.</summary>
public sealed class CampaignModel(CampaignPerformanceQuery performance, StoreClock clock, ActionExecutor executor, CampaignAutomationSettings automation)
    : PerformancePageModel(clock, executor)
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>The campaign's automation setting: inherit, suggestions only or off (marketers and owners).</summary>
    public async Task<IActionResult> OnPostAutomationAsync(string? automationSetting, CancellationToken cancellationToken)
    {
        if (!CanChange)
        {
            return Forbid();
        }
        // Another store's campaign is not found, whatever the form says.
        if (!await Executor.EntityExistsAsync(AdIntel.Web.Rules.Snapshots.RuleScope.Campaign, Id, cancellationToken))
        {
            return NotFound();
        }
        if (!CampaignAutomation.IsValid(automationSetting))
        {
            return await AnswerAsync(new ControlOutcome("Choose one of the automation settings offered.", true, null, null), cancellationToken);
        }
        if (!await automation.SetAsync(Id, automationSetting!, User.GetActor(), cancellationToken))
        {
            return NotFound();
        }
        return await AnswerAsync(new ControlOutcome($"Automation for this campaign: {CampaignAutomation.Label(automationSetting!).ToLowerInvariant()}.", false, null, null),
            cancellationToken);
    }

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
