using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Web.Alerts;
using AdIntel.Web.Alerts.Notifications;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>
/// An app whose notifications reach the fake Slack and Discord webhooks (the fakes' base addresses configured as the
/// providers' would be) and the fixture's SMTP sink, with a store of its own.
/// </summary>
public sealed class NotificationHarness : IAsyncDisposable
{
    public const string PublicUrl = "https://adintel.test";

    private NotificationHarness(FakeServer fake, AdIntelApp app, TestStore store)
    {
        Fake = fake;
        App = app;
        Store = store;
    }

    public FakeServer Fake { get; }
    public AdIntelApp App { get; }
    public TestStore Store { get; }
    public HttpClient Api => Store.Api;
    public long StoreId => Store.StoreId;

    public static async Task<NotificationHarness> StartAsync(AppFixture fixture, TimeProvider? time = null, string timeZone = "UTC", string provider = AppFixture.Sqlite)
    {
        var fake = await FakeServer.StartAsync();
        var app = await fixture.StartAppAsync(provider, new Dictionary<string, string?>
        {
            ["Notifications:SlackWebhookBaseUrl"] = fake.SlackWebhookBaseUrl,
            ["Notifications:DiscordWebhookBaseUrls:0"] = fake.DiscordWebhookBaseUrl,
            ["Notifications:DiscordWebhookBaseUrls:1"] = fake.DiscordWebhookBaseUrl,
            ["Notifications:RetryBaseDelay"] = "00:00:01",
            ["Auth:PublicUrl"] = PublicUrl,
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = fixture.Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:From"] = "AdIntel <adintel@adintel.test>",
            ["Smtp:Security"] = "None",
        }, services: time is null ? null : services => services.AddSingleton(time));
        var store = await app.CreateStoreAsync(StoreRole.Marketer, timeZone);
        return new NotificationHarness(fake, app, store);
    }

    /// <summary>Connects a new fake Slack webhook through the API; returns its address and hook id.</summary>
    public async Task<(string Url, string HookId)> ConnectSlackAsync(string minimumSeverity = AlertSeverities.High)
    {
        var hook = Fake.CreateSlackHook();
        await ConnectAsync("slack", hook.Url, minimumSeverity);
        return hook;
    }

    public async Task<(string Url, string HookId)> ConnectDiscordAsync(string minimumSeverity = AlertSeverities.High)
    {
        var hook = Fake.CreateDiscordHook();
        await ConnectAsync("discord", hook.Url, minimumSeverity);
        return hook;
    }

    public async Task<JsonElement> PutSettingsAsync(object body)
    {
        using var response = await Api.PutAsJsonAsync("/api/settings/notifications", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("data");
    }

    private async Task ConnectAsync(string kind, string url, string minimumSeverity)
    {
        using var response = await Api.PostAsJsonAsync($"/api/settings/integrations/{kind}/connect", new { webhookUrl = url });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.DoesNotContain(url, text, StringComparison.Ordinal);
        await PutSettingsAsync(new { channels = new[] { new { kind, enabled = true, minimumSeverity } } });
    }

    public Task<Alert> RaiseAsync(string key, string severity, string title = "Spend spike on Prospecting") =>
        App.WithServiceAsync<AlertWriter, Alert>(StoreId, writer => writer.RaiseAsync(new AlertSignal
        {
            Source = AlertSources.Anomaly,
            Type = "spend_spike",
            ConditionKey = key,
            Severity = severity,
            Title = title,
            Message = "Spend today is 412.50, 3.1 times the usual for a Monday.",
            EntityType = "campaign",
            Evidence = new AlertEvidence([new AlertFigure("Spend today", 412.50m, "money"), new AlertFigure("Usual", 133m, "money")]),
        }, CancellationToken.None));

    public Task<List<NotificationDelivery>> DeliveriesAsync() =>
        App.WithDbAsync(StoreId, db => db.NotificationDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync());

    /// <summary>Runs the minute's sweep now, as its recurring job does.</summary>
    public async Task SweepAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationJobs>().SweepAsync(CancellationToken.None);
    }

    public async Task<string> DescribeAsync() =>
        string.Join(Environment.NewLine, (await DeliveriesAsync()).Select(d => $"delivery {d.Id} {d.ChannelKind} {d.Kind} {d.Status} attempts {d.Attempts} next {d.NextAttemptAtUtc:O} error {d.LastError}"))
        + Environment.NewLine + "slack attempts: " + string.Join(", ", Fake.Slack.Attempts.Select(a => a.Status))
        + Environment.NewLine + "discord attempts: " + string.Join(", ", Fake.Discord.Attempts.Select(a => a.Status))
        + Environment.NewLine + App.DescribeJobs();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
