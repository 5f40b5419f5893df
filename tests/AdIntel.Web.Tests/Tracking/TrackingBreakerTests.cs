using System.Net;
using System.Text.Json;
using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Integrations;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Tracking;

/// <summary>
/// A diagnosed break holds automation through the rails' one circuit breaker and raises a tracking alert that resolves
/// when the purchases arrive again; another store sees none of it; the demo store's planted outage is diagnosed with its
/// dates and evidence, without a Meta connection.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TrackingBreakerTests(AppFixture fixture)
{
    [Fact]
    public async Task A_diagnosed_break_holds_automation_and_raises_an_alert_that_resolves_when_purchases_return()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync(StoreRole.Owner, "UTC");
        var other = await app.CreateStoreAsync(StoreRole.Owner, "UTC");
        var today = DateOnly.FromDateTime(app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var stoppedOn = today.AddDays(-3);
        await app.WithDbAsync(store.StoreId, async db =>
        {
            db.IntegrationConnections.Add(new IntegrationConnection
            {
                Provider = IntegrationProviders.Meta, ExternalAccountId = "act_100200300", ConnectedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
                EncryptedAccessToken = app.Services.GetRequiredService<IntegrationTokenProtector>().Protect("EAAtoken"),
            });
            for (var d = 1; d <= 60; d++)
            {
                // Meta's insights still show purchases (they lag): the dataset's silence is what tells the break first.
                db.DailyFacts.Add(new DailyStoreFacts { Date = today.AddDays(-d), Orders = 20, PlatformPurchases = 18, AdSpend = 400 });
            }
            for (var d = 4; d <= 40; d++)
            {
                db.TrackingEventDays.Add(new TrackingEventDay { Date = today.AddDays(-d), EventName = "Purchase", BrowserCount = 18, ServerCount = 18 });
            }
            db.TrackingDatasets.Add(new TrackingDataset
            {
                DatasetId = "880000000000001", Name = "Breaker pixel", MatchQuality = 8, BrowserEventIdPercent = 98, ServerEventIdPercent = 98,
                LastFiredAtUtc = stoppedOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), SyncedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var session = await app.WithServiceAsync<ActionExecutor, ActionSession>(store.StoreId, e => e.BeginAsync(CancellationToken.None));
        Assert.True(session.Tracking.Broken);
        Assert.Contains($"No purchases received since {stoppedOn:MMM d}", session.Tracking.Explanation, StringComparison.Ordinal);

        await app.WithServiceAsync<TrackingMonitor, IReadOnlyList<TrackingProblem>>(store.StoreId, m => m.EvaluateAsync(CancellationToken.None));
        var alert = await app.WithDbAsync(store.StoreId, db => db.Alerts.AsNoTracking().SingleAsync(a => a.Source == AlertSources.Tracking));
        Assert.Equal(("tracking:events_not_received", AlertSeverities.Critical, AlertStatuses.Open), (alert.ConditionKey, alert.Severity, alert.Status));
        Assert.Contains("\"Shopify orders since\"", alert.EvidenceJson, StringComparison.Ordinal);
        Assert.NotNull(alert.Recommendation);

        // Another store sees nothing of it: no dataset, no alert, automation runs.
        var otherHealth = JsonDocument.Parse(await other.Api.GetStringAsync("/api/tracking/health")).RootElement.GetProperty("data");
        Assert.Equal(JsonValueKind.Null, otherHealth.GetProperty("dataset").ValueKind);
        Assert.DoesNotContain("Breaker pixel", await other.Api.GetStringAsync("/api/tracking/diagnose"), StringComparison.Ordinal);
        Assert.False((await app.WithServiceAsync<ActionExecutor, ActionSession>(other.StoreId, e => e.BeginAsync(CancellationToken.None))).Tracking.Broken);
        Assert.Empty(await app.WithDbAsync(other.StoreId, db => db.Alerts.AsNoTracking().ToListAsync()));
        var health = JsonDocument.Parse(await store.Api.GetStringAsync("/api/tracking/health")).RootElement.GetProperty("data");
        Assert.Equal(("broken", true), (health.GetProperty("status").GetString(), health.GetProperty("automationHeld").GetBoolean()));

        // Purchases arrive again: automation runs and the alert resolves at the next evaluation.
        await app.WithDbAsync(store.StoreId, async db =>
        {
            for (var d = 1; d <= 3; d++)
            {
                db.TrackingEventDays.Add(new TrackingEventDay { Date = today.AddDays(-d), EventName = "Purchase", BrowserCount = 18, ServerCount = 18 });
            }
            await db.SaveChangesAsync();
        });
        Assert.False((await app.WithServiceAsync<ActionExecutor, ActionSession>(store.StoreId, e => e.BeginAsync(CancellationToken.None))).Tracking.Broken);
        Assert.Empty(await app.WithServiceAsync<TrackingMonitor, IReadOnlyList<TrackingProblem>>(store.StoreId, m => m.EvaluateAsync(CancellationToken.None)));
        alert = await app.WithDbAsync(store.StoreId, db => db.Alerts.AsNoTracking().SingleAsync(a => a.Id == alert.Id));
        Assert.Equal((AlertStatuses.Resolved, (string?)null), (alert.Status, alert.ActiveKey));
    }

    [Fact]
    public async Task The_demo_stores_outage_is_diagnosed_with_its_dates_and_evidence_without_meta()
    {
        var app = fixture.SqliteApp;
        var report = await app.WithServiceAsync<TrackingReportBuilder, TrackingReport>(app.DemoStoreId, b => b.BuildAsync(90, CancellationToken.None));
        var outage = DemoStoreGenerator.TrackingOutageDays(report.Today.AddDays(-1));

        var incident = Assert.Single(report.Problems, p => p.Code == "coverage_drop");
        Assert.Equal((outage.From, outage.To, false), (incident.Since!.Value, incident.Until!.Value, incident.Current));
        var coverage = incident.Figures.Single(f => f.Label == "Purchase coverage").Value;
        var usual = incident.Figures.Single(f => f.Label == "Usual coverage").Value;
        Assert.True(coverage < usual / 2, $"coverage {coverage} % against usual {usual} %");
        Assert.Contains($"{outage.From:MMM d}", incident.Message, StringComparison.Ordinal);
        Assert.Contains("Connect Meta", report.Note, StringComparison.Ordinal);
        Assert.All(report.Coverage.Where(d => d.Date >= outage.From && d.Date <= outage.To), d => Assert.True(d.Broken));

        var page = await app.CreateClient().GetStringAsync("/tracking");
        Assert.Contains(incident.Title, page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"coverage-chart\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_gets_the_error_envelope()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner, "UTC");
        using var response = await store.Api.GetAsync("/api/tracking/health?days=5000");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        var empty = JsonDocument.Parse(await store.Api.GetStringAsync("/api/tracking/diagnose")).RootElement.GetProperty("data");
        Assert.Equal("healthy", empty.GetProperty("status").GetString());
    }
}
