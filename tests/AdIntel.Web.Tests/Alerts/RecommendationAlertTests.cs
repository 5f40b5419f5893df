using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Recommendations;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>A high-priority fix (missing product costs) is an alert while the recommendation stands, resolved when it goes.</summary>
[Collection(AppCollection.Name)]
public sealed class RecommendationAlertTests(AppFixture fixture)
{
    [Fact]
    public async Task Missing_product_costs_raise_an_alert_that_resolves_once_costs_are_there()
    {
        var store = await RecommendationTestStore.CreateAsync(fixture.SqliteApp);
        await store.AddDailyOrdersAsync(days: 30, perDay: 5, price: 50m, unitCost: null);
        await store.RebuildFactsAsync();

        await store.ComputeAsync();
        await store.ComputeAsync();

        var alert = await store.App.WithDbAsync(store.StoreId, db => db.Alerts.AsNoTracking().SingleAsync());
        // Computed twice here (and maybe by the job the rebuild queued): one alert, seen each time.
        Assert.Equal((AlertSources.Recommendation, AlertSeverities.High, AlertStatuses.Open), (alert.Source, alert.Severity, alert.Status));
        Assert.True(alert.Occurrences >= 2, $"{alert.Occurrences} occurrences");
        Assert.Equal($"recommendation:fix:product_costs:{store.StoreId}", alert.ConditionKey);
        Assert.StartsWith("Enter product costs", alert.Title, StringComparison.Ordinal);

        // Enough costed items that coverage passes 80 %: the recommendation, and with it the alert, goes.
        await store.AddDailyOrdersAsync(days: 30, perDay: 30, price: 50m, unitCost: 20m);
        await store.RebuildFactsAsync();
        await store.ComputeAsync();

        Assert.Equal(AlertStatuses.Resolved, (await store.App.WithDbAsync(store.StoreId, db => db.Alerts.AsNoTracking().SingleAsync())).Status);
    }
}
