using AdIntel.Web.Alerts;
using AdIntel.Web.Alerts.Anomalies;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Recommendations;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>
/// The scan of a store's last complete day end to end: from its ad insights to alerts with their evidence, one alert per
/// condition however often the scan runs, and resolved once the day no longer shows the anomaly.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AnomalyScanTests(AppFixture fixture)
{
    [Fact]
    public async Task Yesterdays_spend_spike_raises_one_alert_per_level_that_resolves_when_the_data_no_longer_shows_it()
    {
        var store = await RecommendationTestStore.CreateAsync(fixture.SqliteApp);
        var adSet = await store.AddAdSetAsync("Prospecting broad", 100m);
        var ad = await store.AddAdAsync(adSet, "Video 1");
        // 100 a day with 5 purchases for 60 days, then 400 yesterday.
        await store.AddDeliveryAsync(ad, 60, 2, _ => new Delivery(100m, 10_000, 8_000, 200, 5, 300m));
        await store.AddDeliveryAsync(ad, 1, 1, _ => new Delivery(400m, 40_000, 30_000, 800, 20, 1_200m));
        await store.RebuildFactsAsync();

        await ScanAsync(store);
        var findings = await ScanAsync(store);

        Assert.Equal([(AnomalySubjects.Ad, ad), (AnomalySubjects.AdSet, adSet), (AnomalySubjects.Campaign, store.CampaignId)],
            findings.Where(f => f.Kind == AnomalyKinds.SpendSpike).Select(f => (f.Subject.Type, f.Subject.Id)).Order());
        var alerts = await store.App.WithDbAsync(store.StoreId, db => db.Alerts.AsNoTracking().Where(a => a.Source == AlertSources.Anomaly).ToListAsync());
        Assert.Equal(3, alerts.Count);
        var alert = Assert.Single(alerts, a => a.ConditionKey == $"anomaly:spend_spike:ad_set:{adSet}");
        // Scanned twice here (and maybe once more by the job the rebuild queued): still one alert, seen each time.
        Assert.True(alert.Occurrences >= 2, $"{alert.Occurrences} occurrences");
        Assert.Equal((AlertSeverities.High, "ad_set", (long?)adSet, "Prospecting broad"), (alert.Severity, alert.EntityType, alert.EntityId, alert.EntityName));
        var evidence = AlertWriter.ReadEvidence(alert);
        // Spend 400 against a median of 100 with no spread: z = 300 / (10 % × 100).
        Assert.Equal([400m, 100m, 0m, 30m, 3m, 8m], evidence.Figures.Select(f => f.Value));
        Assert.Equal((RecommendationTestStore.Today.AddDays(-57), RecommendationTestStore.Today.AddDays(-1)), (evidence.WindowStart, evidence.WindowEnd));
        Assert.Contains("400.00", alert.Message, StringComparison.Ordinal);

        // Meta restates yesterday: the spike is gone, and so are its alerts.
        await store.App.WithDbAsync(store.StoreId, db => db.AdInsights.Where(i => i.Date == RecommendationTestStore.Today.AddDays(-1))
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Spend, 100m).SetProperty(i => i.Purchases, 5m).SetProperty(i => i.PurchaseValue, 300m)));
        await store.RebuildFactsAsync();
        Assert.Empty(await ScanAsync(store));
        Assert.All(await store.App.WithDbAsync(store.StoreId, db => db.Alerts.AsNoTracking().ToListAsync()), a => Assert.Equal(AlertStatuses.Resolved, a.Status));
    }

    private static Task<IReadOnlyList<AnomalyFinding>> ScanAsync(RecommendationTestStore store) =>
        store.App.WithServiceAsync<AnomalyScan, IReadOnlyList<AnomalyFinding>>(store.StoreId, s => s.RunAsync(CancellationToken.None));
}
