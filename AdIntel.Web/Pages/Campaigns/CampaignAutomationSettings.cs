using System.Globalization;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Definitions;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// Sets a campaign's automation setting (<see cref="CampaignAutomation"/>) for its page and
/// <c>PATCH /api/campaigns/{id}</c> alike; every change is audited. The rails read it when automation proposes a change.
/// </summary>
public sealed class CampaignAutomationSettings(AdIntelDbContext db, IAuditLog audit)
{
    public const string Problem = "automation is one of inherit (the store's setting), suggestions_only or off.";

    /// <summary>False when the campaign is not the current store's; throws nothing for a bad value: check <see cref="CampaignAutomation.IsValid"/> first.</summary>
    public async Task<bool> SetAsync(long campaignId, string setting, string actor, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign is null)
        {
            return false;
        }
        if (campaign.Automation == setting)
        {
            return true;
        }
        var before = campaign.Automation;
        campaign.Automation = setting;
        audit.Record(new AuditChange("campaign.automation_updated", "campaign", campaignId.ToString(CultureInfo.InvariantCulture),
            $"Automation for campaign “{campaign.Name}”: {CampaignAutomation.Label(setting).ToLowerInvariant()}.", new { automation = before }, new { automation = setting }),
            actor);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
