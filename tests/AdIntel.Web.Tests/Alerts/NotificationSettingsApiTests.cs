using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>The notification settings API: validation in the error envelope, webhook addresses never returned, one store's channels invisible to another.</summary>
[Collection(AppCollection.Name)]
public sealed class NotificationSettingsApiTests(AppFixture fixture)
{
    [Fact]
    public async Task Bad_input_gets_clear_errors_and_saves_nothing()
    {
        await using var h = await NotificationHarness.StartAsync(fixture);
        using var bad = await h.Api.PutAsJsonAsync("/api/settings/notifications", new
        {
            channels = new object[] { new { kind = "email", recipients = new[] { "not-an-address" } }, new { kind = "slack", enabled = true }, new { kind = "pager" } },
            quietHours = new { enabled = true, start = "25:00", end = "07:00" },
            digest = new { enabled = true, hour = 24 },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var error = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_settings", error.GetProperty("code").GetString());
        var details = error.GetProperty("details");
        Assert.Contains("not an e-mail address", details.GetProperty("channels[0].recipients").GetString(), StringComparison.Ordinal);
        Assert.Contains("connect Slack first", details.GetProperty("channels[1]").GetString(), StringComparison.Ordinal);
        Assert.Equal("must be email, slack or discord", details.GetProperty("channels[2].kind").GetString());
        Assert.Equal("must be a time like 22:00", details.GetProperty("quietHours.start").GetString());
        Assert.Equal("must be an hour from 0 to 23", details.GetProperty("digest.hour").GetString());
        var saved = (await h.Api.GetFromJsonAsync<JsonElement>("/api/settings/notifications")).GetProperty("data");
        Assert.False(saved.GetProperty("quietHours").GetProperty("enabled").GetBoolean());
        Assert.False(saved.GetProperty("digest").GetProperty("enabled").GetBoolean());

        using var noBody = await h.Api.PutAsync("/api/settings/notifications", JsonContent.Create<object?>(null));
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);

        // A webhook elsewhere than the provider's own address is refused, and never stored.
        foreach (var (kind, url) in new[] { ("slack", "https://evil.example/services/T1/B1/x"), ("slack", h.Fake.CreateDiscordHook().Url), ("discord", "http://127.0.0.1:1/api/webhooks/1/x"), ("discord", "") })
        {
            using var refused = await h.Api.PostAsJsonAsync($"/api/settings/integrations/{kind}/connect", new { webhookUrl = url });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("invalid_webhook_url", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        }
        using var unknown = await h.Api.PostAsJsonAsync("/api/settings/integrations/teams/connect", new { webhookUrl = "https://x" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.All((await h.Api.GetFromJsonAsync<JsonElement>("/api/settings/notifications")).GetProperty("data").GetProperty("channels").EnumerateArray(),
            c => Assert.False(c.GetProperty("connected").GetBoolean()));

        // Viewers read, but may not change.
        var viewer = await h.App.CreateStoreAsync(StoreRole.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.Api.GetAsync("/api/settings/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Api.PutAsJsonAsync("/api/settings/notifications", new { digest = new { enabled = true } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Api.PostAsJsonAsync("/api/settings/integrations/slack/connect", new { webhookUrl = "x" })).StatusCode);
    }

    [Fact]
    public async Task The_webhook_address_is_never_returned_and_another_store_cannot_see_or_change_the_channel()
    {
        await using var h = await NotificationHarness.StartAsync(fixture);
        var slack = await h.ConnectSlackAsync();
        var secret = slack.Url[(slack.Url.LastIndexOf('/') + 1)..];

        foreach (var path in new[] { "/api/settings/notifications", "/api/settings/integrations", "/api/settings/notifications/deliveries" })
        {
            var text = await h.Api.GetStringAsync(path);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        var channel = (await h.Api.GetFromJsonAsync<JsonElement>("/api/settings/notifications")).GetProperty("data").GetProperty("channels")
            .EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "slack");
        Assert.True(channel.GetProperty("connected").GetBoolean());
        Assert.StartsWith("127.0.0.1/…", channel.GetProperty("webhookHint").GetString(), StringComparison.Ordinal);
        var stored = await h.App.WithDbAsync(h.StoreId, db => Task.FromResult(db.NotificationChannels.Single(c => c.Kind == "slack").EncryptedWebhookUrl!));
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);

        var integrations = (await h.Api.GetFromJsonAsync<JsonElement>("/api/settings/integrations")).GetProperty("data").EnumerateArray()
            .ToDictionary(i => i.GetProperty("provider").GetString()!, i => i.GetProperty("status").GetString());
        Assert.Equal(["shopify", "meta", "email", "slack", "discord", "llm"], integrations.Keys);
        Assert.Equal("connected", integrations["slack"]);
        Assert.Equal("not_connected", integrations["shopify"]);
        Assert.Equal("not_configured", integrations["llm"]);

        var other = await h.App.CreateStoreAsync(StoreRole.Owner);
        var theirs = (await other.Api.GetFromJsonAsync<JsonElement>("/api/settings/notifications")).GetProperty("data").GetProperty("channels")
            .EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "slack");
        Assert.False(theirs.GetProperty("connected").GetBoolean());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await other.Api.PutAsJsonAsync("/api/settings/notifications", new { channels = new[] { new { kind = "slack", enabled = false } } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.DeleteAsync("/api/settings/integrations/slack")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.PostAsync("/api/settings/notifications/slack/test", null)).StatusCode);
        await h.Api.PostAsync("/api/settings/notifications/slack/test", null);
        Assert.Empty((await other.Api.GetFromJsonAsync<JsonElement>("/api/settings/notifications/deliveries")).GetProperty("data").EnumerateArray());
        Assert.True((await h.App.WithDbAsync(h.StoreId, db => Task.FromResult(db.NotificationChannels.Single(c => c.Kind == "slack")))).Enabled);

        // The owner disconnects: the encrypted address is gone.
        Assert.Equal(HttpStatusCode.OK, (await h.Api.DeleteAsync("/api/settings/integrations/slack")).StatusCode);
        Assert.False(await h.App.WithDbAsync(h.StoreId, db => Task.FromResult(db.NotificationChannels.Any(c => c.Kind == "slack"))));
    }
}
