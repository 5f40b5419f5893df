using AdIntel.Web.Alerts.Anomalies;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Demo;

/// <summary>
/// An anomaly planted in the demo store: its day, kind and subject (ad set or campaign by its Meta id, or the store with an
/// empty one; the seeder moves database ids, Meta ids stay).
/// </summary>
public sealed record DemoAnomaly(DateOnly Date, string Kind, string SubjectType, string SubjectExternalId);

/// <summary>
/// Plants anomalies of known dates in generated demo data (Demo:InjectAnomalies), to measure anomaly detection against:
/// spend spikes, ROAS collapses, CPA jumps and stopped delivery on the largest active ad sets and campaigns, and store-level
/// orders and MER drops, spread over the last eight weeks away from the planted tracking outage.
/// </summary>
public static class DemoAnomalies
{
    /// <summary>
    /// The plan: days before the last day, kind, and on what (the n-th largest active ad set or campaign by spend over the
    /// last eight weeks, or the store).
    /// </summary>
    private static readonly (int DaysBack, string Kind, string SubjectType, int Rank)[] Plan =
    [
        (3, AnomalyKinds.SpendSpike, AnomalySubjects.AdSet, 0),
        (5, AnomalyKinds.OrdersDrop, AnomalySubjects.Store, 0),
        (9, AnomalyKinds.RoasDrop, AnomalySubjects.Campaign, 0),
        (12, AnomalyKinds.ZeroDelivery, AnomalySubjects.AdSet, 1),
        (16, AnomalyKinds.CpaJump, AnomalySubjects.Campaign, 1),
        (19, AnomalyKinds.SpendSpike, AnomalySubjects.AdSet, 2),
        (23, AnomalyKinds.MerDrop, AnomalySubjects.Store, 0),
        (26, AnomalyKinds.RoasDrop, AnomalySubjects.AdSet, 0),
        (30, AnomalyKinds.CpaJump, AnomalySubjects.AdSet, 1),
        (33, AnomalyKinds.ZeroDelivery, AnomalySubjects.AdSet, 3),
        (47, AnomalyKinds.SpendSpike, AnomalySubjects.AdSet, 1),
        (51, AnomalyKinds.OrdersDrop, AnomalySubjects.Store, 0),
    ];

    /// <summary>Changes <paramref name="data"/>'s insights and orders in place; returns what was planted.</summary>
    public static IReadOnlyList<DemoAnomaly> Inject(DemoStoreData data)
    {
        var from = data.LastDay.AddDays(-56);
        var adById = data.Ads.ToDictionary(a => a.Id);
        var spendByAdSet = new Dictionary<long, decimal>();
        var spendByCampaign = new Dictionary<long, decimal>();
        foreach (var row in data.Insights.Where(i => i.Date >= from))
        {
            var ad = adById[row.AdId];
            spendByAdSet[ad.AdSetId] = spendByAdSet.GetValueOrDefault(ad.AdSetId) + row.Spend;
            spendByCampaign[ad.CampaignId] = spendByCampaign.GetValueOrDefault(ad.CampaignId) + row.Spend;
        }
        var campaignActive = data.Campaigns.ToDictionary(c => c.Id, c => c.Status == EntityStatus.Active);
        var adSets = data.AdSets.Where(s => s.Status == EntityStatus.Active && campaignActive[s.CampaignId])
            .OrderByDescending(s => spendByAdSet.GetValueOrDefault(s.Id)).ToList();
        var campaigns = data.Campaigns.Where(c => c.Status == EntityStatus.Active)
            .OrderByDescending(c => spendByCampaign.GetValueOrDefault(c.Id)).ToList();

        var planted = new List<DemoAnomaly>();
        foreach (var (daysBack, kind, subjectType, rank) in Plan)
        {
            var day = Ordinary(data.LastDay.AddDays(-daysBack), data, planted);
            var (subjectId, externalId) = subjectType switch
            {
                AnomalySubjects.AdSet => (adSets[rank].Id, adSets[rank].ExternalId),
                AnomalySubjects.Campaign => (campaigns[rank].Id, campaigns[rank].ExternalId),
                _ => (0L, ""),
            };
            bool Concerns(AdInsightDaily row) => row.Date == day && subjectType switch
            {
                AnomalySubjects.AdSet => adById[row.AdId].AdSetId == subjectId,
                AnomalySubjects.Campaign => adById[row.AdId].CampaignId == subjectId,
                _ => true,
            };
            var rows = data.Insights.Where(Concerns).ToList();
            switch (kind)
            {
                case AnomalyKinds.SpendSpike:
                    // A budget mistake: three times the spend, a few more purchases at a worse price.
                    Scale(rows, spend: 3m, purchases: 1.3m);
                    break;
                case AnomalyKinds.RoasDrop:
                    // A price or catalogue error: purchases as usual, a quarter of their value.
                    Scale(rows, spend: 1m, purchases: 1m, value: 0.25m);
                    break;
                case AnomalyKinds.CpaJump:
                    // A broken landing page: the spend runs, a fifth of the purchases come.
                    Scale(rows, spend: 1m, purchases: 0.2m);
                    break;
                case AnomalyKinds.ZeroDelivery:
                    // Rejected ads or a payment problem: nothing delivered.
                    Scale(rows, spend: 0m, purchases: 0m);
                    break;
                case AnomalyKinds.MerDrop:
                    // Every budget tripled for a day, sales as usual.
                    Scale(rows, spend: 3m, purchases: 1m, value: 1m);
                    break;
                case AnomalyKinds.OrdersDrop:
                    // A broken checkout: three orders in four never complete, the ads run as usual.
                    var orders = data.Orders.Where(o => o.LocalDate == day && o.CountsAsSale).ToList();
                    for (var i = 0; i < orders.Count; i++)
                    {
                        if (i % 4 != 0)
                        {
                            orders[i].CancelledAtUtc = orders[i].CreatedAtUtc.AddMinutes(5);
                        }
                    }
                    break;
            }
            planted.Add(new DemoAnomaly(day, kind, subjectType, externalId));
        }
        return planted;
    }

    /// <summary>
    /// The day, or the closest one before it that is no sales event or holiday (nor are the three days before it), not near the tracking outage and not
    /// taken by another planted anomaly (each is measured on its own).
    /// </summary>
    private static DateOnly Ordinary(DateOnly day, DemoStoreData data, IReadOnlyList<DemoAnomaly> planted)
    {
        while (Enumerable.Range(0, 4).Any(back => DemoCalendar.EventLevel(day.AddDays(-back)) != 1.0) || (day >= data.TrackingOutageFrom.AddDays(-1) && day <= data.TrackingOutageTo.AddDays(1))
            || planted.Any(p => p.Date == day))
        {
            day = day.AddDays(-1);
        }
        return day;
    }

    private static void Scale(IEnumerable<AdInsightDaily> rows, decimal spend, decimal purchases, decimal? value = null)
    {
        foreach (var row in rows)
        {
            row.Spend = Math.Round(row.Spend * spend, 2);
            row.Impressions = (long)(row.Impressions * spend);
            row.Reach = (long)(row.Reach * spend);
            row.LinkClicks = (long)(row.LinkClicks * spend);
            row.Purchases = Math.Round(row.Purchases * purchases);
            row.PurchaseValue = Math.Round(row.PurchaseValue * (value ?? purchases), 2);
        }
    }
}
