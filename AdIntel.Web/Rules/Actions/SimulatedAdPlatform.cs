using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Rules.Actions;

/// <summary>
/// The ad platform of stores without a live connection (the demo store, CSV imports): applies status and budget
/// changes to the local Campaign, AdSet and Ad rows, as the platform would, including Meta's rule that a budget edit
/// restarts an ad set's learning phase. Scoped to the current store by the DbContext's filter.
/// </summary>
public sealed class SimulatedAdPlatform(AdIntelDbContext db, TimeProvider time) : IAdPlatform
{
    public async Task<AdEntityState?> GetAsync(RuleScope scope, long entityId, CancellationToken cancellationToken) => scope switch
    {
        RuleScope.Campaign => await db.Campaigns.AsNoTracking().Where(c => c.Id == entityId)
            .Select(c => new AdEntityState(RuleScope.Campaign, c.Id, c.ExternalId, c.Name, c.Status, c.DailyBudget)).SingleOrDefaultAsync(cancellationToken),
        RuleScope.AdSet => await db.AdSets.AsNoTracking().Where(a => a.Id == entityId)
            .Select(a => new AdEntityState(RuleScope.AdSet, a.Id, a.ExternalId, a.Name, a.Status, a.DailyBudget)).SingleOrDefaultAsync(cancellationToken),
        RuleScope.Ad => await db.Ads.AsNoTracking().Where(a => a.Id == entityId)
            .Select(a => new AdEntityState(RuleScope.Ad, a.Id, a.ExternalId, a.Name, a.Status, null)).SingleOrDefaultAsync(cancellationToken),
        _ => await db.AdAccounts.AsNoTracking().Where(a => a.Id == entityId)
            .Select(a => new AdEntityState(RuleScope.Account, a.Id, a.ExternalId, a.Name, EntityStatus.Active, null)).SingleOrDefaultAsync(cancellationToken),
    };

    public async Task<AdEntityState> SetStatusAsync(RuleScope scope, long entityId, string status, CancellationToken cancellationToken)
    {
        if (status is not (EntityStatus.Active or EntityStatus.Paused))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Only ACTIVE and PAUSED can be set.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        switch (scope)
        {
            case RuleScope.Campaign:
                var campaign = await db.Campaigns.SingleAsync(c => c.Id == entityId, cancellationToken);
                campaign.Status = status;
                campaign.UpdatedAtUtc = now;
                break;
            case RuleScope.AdSet:
                var adSet = await db.AdSets.SingleAsync(a => a.Id == entityId, cancellationToken);
                adSet.Status = status;
                adSet.UpdatedAtUtc = now;
                break;
            case RuleScope.Ad:
                var ad = await db.Ads.SingleAsync(a => a.Id == entityId, cancellationToken);
                ad.Status = status;
                ad.UpdatedAtUtc = now;
                break;
            default:
                throw new NotSupportedException("An ad account's status cannot be changed by a rule.");
        }
        await db.SaveChangesAsync(cancellationToken);
        return (await GetAsync(scope, entityId, cancellationToken))!;
    }

    public async Task<AdEntityState> SetDailyBudgetAsync(RuleScope scope, long entityId, decimal dailyBudget, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dailyBudget);
        var now = time.GetUtcNow().UtcDateTime;
        switch (scope)
        {
            case RuleScope.Campaign:
                var campaign = await db.Campaigns.SingleAsync(c => c.Id == entityId, cancellationToken);
                campaign.DailyBudget = dailyBudget;
                campaign.UpdatedAtUtc = now;
                break;
            case RuleScope.AdSet:
                var adSet = await db.AdSets.SingleAsync(a => a.Id == entityId, cancellationToken);
                adSet.DailyBudget = dailyBudget;
                adSet.LastSignificantEditAtUtc = now;
                adSet.UpdatedAtUtc = now;
                break;
            default:
                throw new NotSupportedException($"A {scope.ToApiName()} has no daily budget of its own.");
        }
        await db.SaveChangesAsync(cancellationToken);
        return (await GetAsync(scope, entityId, cancellationToken))!;
    }
}
