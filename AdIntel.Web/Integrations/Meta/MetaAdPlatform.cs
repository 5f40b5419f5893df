using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>
/// The rules engine's ad-platform port for a store: entities of its connected Meta ad account are changed on Meta
/// first (status, daily budget in minor units, exactly once — see <see cref="MetaGraphClient.UpdateAsync"/>) and then
/// locally; entities without a live connection (the demo store, CSV imports) only locally. A change Meta refuses
/// throws, so the action is recorded as failed and nothing changes locally.
/// </summary>
public sealed class MetaAdPlatform(SimulatedAdPlatform local, AdIntelDbContext db, MetaConnections connections, MetaGraphClient meta) : IAdPlatform
{
    public Task<AdEntityState?> GetAsync(RuleScope scope, long entityId, CancellationToken cancellationToken) =>
        local.GetAsync(scope, entityId, cancellationToken);

    public async Task<AdEntityState> SetStatusAsync(RuleScope scope, long entityId, string status, CancellationToken cancellationToken)
    {
        if (await LiveAsync(scope, entityId, cancellationToken) is { } live)
        {
            await meta.UpdateAsync(live.Credentials.AccessToken, live.ExternalId, status, null, cancellationToken);
        }
        return await local.SetStatusAsync(scope, entityId, status, cancellationToken);
    }

    public async Task<AdEntityState> SetDailyBudgetAsync(RuleScope scope, long entityId, decimal dailyBudget, CancellationToken cancellationToken)
    {
        if (await LiveAsync(scope, entityId, cancellationToken) is { } live)
        {
            await meta.UpdateAsync(live.Credentials.AccessToken, live.ExternalId, null, MetaMoney.ToMinor(dailyBudget, live.Currency), cancellationToken);
        }
        return await local.SetDailyBudgetAsync(scope, entityId, dailyBudget, cancellationToken);
    }

    /// <summary>The entity's Meta id and the credentials to change it, when it belongs to the connected ad account.</summary>
    private async Task<(MetaCredentials Credentials, string ExternalId, string Currency)?> LiveAsync(RuleScope scope, long entityId, CancellationToken cancellationToken)
    {
        if (await connections.CredentialsAsync(cancellationToken) is not { } credentials)
        {
            return null;
        }
        var accountExternalId = MetaConnections.AccountPrefix + credentials.AccountId;
        var campaigns = db.Campaigns.AsNoTracking();
        var accounts = db.AdAccounts.AsNoTracking().Where(a => a.Platform == "meta" && a.ExternalId == accountExternalId);
        var row = scope switch
        {
            RuleScope.Campaign => await (from c in campaigns where c.Id == entityId
                                         join a in accounts on c.AdAccountId equals a.Id
                                         select new { c.ExternalId, a.Currency }).SingleOrDefaultAsync(cancellationToken),
            RuleScope.AdSet => await (from s in db.AdSets.AsNoTracking() where s.Id == entityId
                                      join c in campaigns on s.CampaignId equals c.Id
                                      join a in accounts on c.AdAccountId equals a.Id
                                      select new { s.ExternalId, a.Currency }).SingleOrDefaultAsync(cancellationToken),
            RuleScope.Ad => await (from d in db.Ads.AsNoTracking() where d.Id == entityId
                                   join c in campaigns on d.CampaignId equals c.Id
                                   join a in accounts on c.AdAccountId equals a.Id
                                   select new { d.ExternalId, a.Currency }).SingleOrDefaultAsync(cancellationToken),
            _ => null,
        };
        return row is null ? null : (credentials, row.ExternalId, row.Currency);
    }
}
