using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>
/// The alerts lifecycle through <see cref="AlertWriter"/> and <c>/api/alerts</c>: repeats update one alert, cleared
/// conditions resolve, acknowledge, snooze (hidden, then open again when its time passed), resolve, dismiss and bulk
/// dismissal, filters and cursor paging, the summary, refusals in the error envelope, and another store's alerts.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AlertsApiTests(AppFixture fixture)
{
    private static AlertSignal Signal(string key, string severity = AlertSeverities.Medium, string source = AlertSources.Anomaly,
        string entityType = "ad_set", long? entityId = 7, decimal value = 1) => new()
    {
        Source = source,
        Type = "spend_spike",
        ConditionKey = key,
        Severity = severity,
        Title = "Spend spike " + key,
        Message = "Spent " + value,
        NextStep = "Check the budget.",
        EntityType = entityType,
        EntityId = entityId,
        EntityName = "Prospecting",
        Evidence = new AlertEvidence([new AlertFigure("Spend", value, "money")], new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 26)),
    };

    private static Task<Alert> RaiseAsync(AdIntelApp app, long storeId, AlertSignal signal) =>
        app.WithServiceAsync<AlertWriter, Alert>(storeId, w => w.RaiseAsync(signal, CancellationToken.None));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<List<JsonElement>> ListAsync(HttpClient api, string query = "")
    {
        using var response = await api.GetAsync("/api/alerts" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await JsonAsync(response)).GetProperty("data").EnumerateArray()];
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient api, long id, object body) =>
        api.PatchAsync($"/api/alerts/{id}", JsonContent.Create(body));

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_repeated_condition_updates_one_alert_and_a_cleared_one_resolves(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();

        var first = await RaiseAsync(app, store.StoreId, Signal("anomaly:spend_spike:ad_set:7", value: 10));
        var repeat = await RaiseAsync(app, store.StoreId, Signal("anomaly:spend_spike:ad_set:7", AlertSeverities.High, value: 20));
        var other = await RaiseAsync(app, store.StoreId, Signal("anomaly:spend_spike:ad_set:8"));

        Assert.Equal(first.Id, repeat.Id);
        var alert = Assert.Single(await ListAsync(store.Api), a => a.GetProperty("id").GetInt64() == first.Id);
        Assert.Equal((2, "high", "open"), (alert.GetProperty("occurrences").GetInt32(), alert.GetProperty("severity").GetString(), alert.GetProperty("status").GetString()));
        Assert.Equal(20m, alert.GetProperty("evidence").GetProperty("figures")[0].GetProperty("value").GetDecimal());
        Assert.Equal("2026-11-26", alert.GetProperty("evidence").GetProperty("windowEnd").GetString());
        Assert.Equal("Check the budget.", alert.GetProperty("nextStep").GetString());

        // Only ad set 8's condition still holds: ad set 7's alert resolves, and its next occurrence opens a new alert.
        var resolved = await app.WithServiceAsync<AlertWriter, int>(store.StoreId,
            w => w.ResolveClearedAsync(AlertSources.Anomaly, [other.ConditionKey], CancellationToken.None));
        Assert.Equal(1, resolved);
        Assert.Equal([other.Id], (await ListAsync(store.Api, "?status=open")).Select(a => a.GetProperty("id").GetInt64()));
        Assert.Equal([first.Id], (await ListAsync(store.Api, "?status=resolved")).Select(a => a.GetProperty("id").GetInt64()));
        var again = await RaiseAsync(app, store.StoreId, Signal("anomaly:spend_spike:ad_set:7"));
        Assert.NotEqual(first.Id, again.Id);
    }

    [Fact]
    public async Task A_dismissed_alert_stays_dismissed_while_its_condition_holds_unless_it_gets_worse()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        var first = await RaiseAsync(app, store.StoreId, Signal("anomaly:spend_spike:ad_set:9"));
        using var dismissed = await store.Api.PostAsJsonAsync("/api/alerts/dismiss", new { ids = new[] { first.Id } });
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);

        // The next evaluation still sees the condition: no new alert (and so no new notification), the repeat is counted.
        var repeat = await RaiseAsync(app, store.StoreId, Signal("anomaly:spend_spike:ad_set:9"));
        Assert.Equal((first.Id, AlertStatuses.Dismissed, 2), (repeat.Id, repeat.Status, repeat.Occurrences));
        Assert.Empty(await ListAsync(store.Api, "?status=open"));

        // Worse than what was dismissed: a new alert.
        var worse = await RaiseAsync(app, store.StoreId, Signal("anomaly:spend_spike:ad_set:9", AlertSeverities.Critical));
        Assert.NotEqual(first.Id, worse.Id);
        Assert.Equal([worse.Id], (await ListAsync(store.Api, "?status=open")).Select(a => a.GetProperty("id").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_person_acknowledges_snoozes_resolves_and_dismisses_and_each_change_is_audited(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(StoreRole.Marketer);
        var alert = await RaiseAsync(app, store.StoreId, Signal("sync:failed:1"));

        using (var acknowledged = await PatchAsync(store.Api, alert.Id, new { status = "acknowledged" }))
        {
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
            var data = (await JsonAsync(acknowledged)).GetProperty("data");
            Assert.Equal("acknowledged", data.GetProperty("status").GetString());
            Assert.NotEqual(JsonValueKind.Null, data.GetProperty("acknowledgedAt").ValueKind);
        }

        var until = PinnedDate.UtcNow.AddHours(3);
        using (var snoozed = await PatchAsync(store.Api, alert.Id, new { status = "snoozed", snoozeUntil = until }))
        {
            Assert.Equal(HttpStatusCode.OK, snoozed.StatusCode);
        }
        // Snoozed: not among the open or acknowledged ones.
        Assert.Empty(await ListAsync(store.Api, "?status=open,acknowledged"));
        Assert.Single(await ListAsync(store.Api, "?status=snoozed"));

        // The minute sweep, four hours later: the snooze ran out, the alert is open again.
        await using (var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateStoreScope(store.StoreId))
        {
            var later = new FakeTimeProvider(new DateTimeOffset(PinnedDate.UtcNow.AddHours(4), TimeSpan.Zero));
            var services = scope.ServiceProvider;
            var writer = new AlertWriter(services.GetRequiredService<AdIntelDbContext>(), later, services.GetRequiredService<IAuditLog>(), [],
                NullLogger<AlertWriter>.Instance);
            Assert.True(await writer.ReopenExpiredSnoozesAsync(CancellationToken.None) >= 1);
        }
        var reopened = Assert.Single(await ListAsync(store.Api, "?status=open"));
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("snoozedUntil").ValueKind);

        using (var resolved = await PatchAsync(store.Api, alert.Id, new { status = "resolved" }))
        {
            Assert.Equal("resolved", (await JsonAsync(resolved)).GetProperty("data").GetProperty("status").GetString());
        }
        // Settled: it cannot change any more.
        using (var conflict = await PatchAsync(store.Api, alert.Id, new { status = "open" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Equal("alert_closed", (await JsonAsync(conflict)).GetProperty("error").GetProperty("code").GetString());
        }

        var actions = await app.WithDbAsync(store.StoreId, db => db.AuditEntries.Where(e => e.EntityType == "alert")
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["alert.acknowledged", "alert.snoozed", "alert.resolved"], actions);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Bad_changes_are_refused_in_the_error_envelope(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var alert = await RaiseAsync(app, store.StoreId, Signal("token:expiring:1"));

        async Task Refused(object body, HttpStatusCode status, string code)
        {
            using var response = await PatchAsync(store.Api, alert.Id, body);
            Assert.Equal(status, response.StatusCode);
            var error = (await JsonAsync(response)).GetProperty("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }

        await Refused(new { status = "closed" }, HttpStatusCode.UnprocessableEntity, "invalid_status");
        await Refused(new { status = "snoozed" }, HttpStatusCode.UnprocessableEntity, "invalid_snooze");
        await Refused(new { status = "snoozed", snoozeUntil = PinnedDate.UtcNow.AddMinutes(-5) }, HttpStatusCode.UnprocessableEntity, "invalid_snooze");
        await Refused(new { status = "snoozed", snoozeUntil = PinnedDate.UtcNow.AddDays(120) }, HttpStatusCode.UnprocessableEntity, "invalid_snooze");
        await Refused(new { status = "acknowledged", snoozeUntil = PinnedDate.UtcNow.AddDays(1) }, HttpStatusCode.UnprocessableEntity, "invalid_snooze");
        using (var noBody = await store.Api.PatchAsync($"/api/alerts/{alert.Id}", new StringContent("null", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        }
        using (var badFilter = await store.Api.GetAsync("/api/alerts?severity=urgent&from=yesterday"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
            var details = (await JsonAsync(badFilter)).GetProperty("error").GetProperty("details").GetProperty("parameters");
            Assert.Equal(["from", "severity"], details.EnumerateObject().Select(p => p.Name).Order());
        }
        using (var emptyBulk = await store.Api.PostAsJsonAsync("/api/alerts/dismiss", new { ids = Array.Empty<long>() }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, emptyBulk.StatusCode);
        }
        Assert.Equal("open", Assert.Single(await ListAsync(store.Api)).GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Filters_and_cursor_paging_list_the_right_alerts_newest_first(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var ids = new List<long>();
        for (var i = 1; i <= 5; i++)
        {
            var severity = i % 2 == 0 ? AlertSeverities.High : AlertSeverities.Low;
            var source = i <= 3 ? AlertSources.Anomaly : AlertSources.Sync;
            ids.Add((await RaiseAsync(app, store.StoreId, Signal($"k:{i}", severity, source, entityId: i))).Id);
        }

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await store.Api.GetAsync("/api/alerts?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            var json = await JsonAsync(response);
            seen.AddRange(json.GetProperty("data").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
            cursor = json.GetProperty("page").GetProperty("next").GetString();
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        IEnumerable<long> Ids(List<JsonElement> list) => list.Select(a => a.GetProperty("id").GetInt64());
        Assert.Equal([ids[3], ids[1]], Ids(await ListAsync(store.Api, "?severity=high")));
        Assert.Equal([ids[4], ids[3]], Ids(await ListAsync(store.Api, "?source=sync")));
        Assert.Equal([ids[2]], Ids(await ListAsync(store.Api, "?entityType=ad_set&entityId=3")));
        Assert.Equal([ids[1]], Ids(await ListAsync(store.Api, "?source=anomaly&severity=high")));
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow).ToString("yyyy-MM-dd");
        Assert.Equal(5, (await ListAsync(store.Api, $"?from={today}&to={today}")).Count);
        Assert.Empty(await ListAsync(store.Api, "?to=2020-01-01"));

        using var summary = await store.Api.GetAsync("/api/alerts/stats/summary");
        var data = (await JsonAsync(summary)).GetProperty("data");
        Assert.Equal(5, data.GetProperty("byStatus").GetProperty("open").GetInt32());
        Assert.Equal(2, data.GetProperty("bySeverity").GetProperty("high").GetInt32());
        Assert.Equal(3, data.GetProperty("bySource").GetProperty("anomaly").GetInt32());
        Assert.Equal((5, 0, 2), (data.GetProperty("active").GetInt32(), data.GetProperty("openCritical").GetInt32(), data.GetProperty("openHigh").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Bulk_dismissal_takes_the_stores_own_alerts_and_another_stores_are_invisible(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var other = await app.CreateStoreAsync();
        var mine = new[] { await RaiseAsync(app, store.StoreId, Signal("a:1")), await RaiseAsync(app, store.StoreId, Signal("a:2")),
            await RaiseAsync(app, store.StoreId, Signal("a:3")) };
        var theirs = await RaiseAsync(app, other.StoreId, Signal("a:1"));

        using (var foreign = await PatchAsync(store.Api, theirs.Id, new { status = "dismissed" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
            Assert.Equal("not_found", (await JsonAsync(foreign)).GetProperty("error").GetProperty("code").GetString());
        }
        Assert.DoesNotContain(await ListAsync(store.Api, "?status=all"), a => a.GetProperty("id").GetInt64() == theirs.Id);

        using var bulk = await store.Api.PostAsJsonAsync("/api/alerts/dismiss", new { ids = new[] { mine[0].Id, mine[2].Id, theirs.Id } });
        var result = (await JsonAsync(bulk)).GetProperty("data");
        Assert.Equal([mine[0].Id, mine[2].Id], result.GetProperty("dismissed").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([theirs.Id], result.GetProperty("skipped").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([mine[1].Id], (await ListAsync(store.Api, "?status=open")).Select(a => a.GetProperty("id").GetInt64()));
        Assert.Equal("open", Assert.Single(await ListAsync(other.Api)).GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_viewer_reads_alerts_but_cannot_change_them(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(StoreRole.Viewer);
        var alert = await RaiseAsync(app, store.StoreId, Signal("v:1"));

        Assert.Single(await ListAsync(store.Api));
        using var patch = await PatchAsync(store.Api, alert.Id, new { status = "dismissed" });
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        using var bulk = await store.Api.PostAsJsonAsync("/api/alerts/dismiss", new { ids = new[] { alert.Id } });
        Assert.Equal(HttpStatusCode.Forbidden, bulk.StatusCode);
    }
}
