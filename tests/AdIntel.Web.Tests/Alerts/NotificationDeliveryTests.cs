using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Fakes.Chat;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>
/// Alerts reach the merchant's channels through the real path: the alert writer's listener queues a delivery per channel,
/// a Hangfire job claims and sends it with the app's HTTP client to the fake Slack and Discord webhooks (and through
/// MailKit to the SMTP sink), and the delivery log records it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationDeliveryTests(AppFixture fixture)
{
    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task An_alert_reaches_each_channel_exactly_once_and_one_below_the_minimum_none(string provider)
    {
        await using var h = await NotificationHarness.StartAsync(fixture, provider: provider);
        var slack = await h.ConnectSlackAsync(AlertSeverities.High);
        var discord = await h.ConnectDiscordAsync(AlertSeverities.Medium);
        var recipient = $"alerts-{Guid.NewGuid():N}@example.com";
        await h.PutSettingsAsync(new { channels = new[] { new { kind = "email", enabled = true, minimumSeverity = "high", recipients = new[] { recipient } } } });

        var alert = await h.RaiseAsync("anomaly:spend_spike:campaign:1", AlertSeverities.High);
        // The same condition again (still high) updates the alert: no second message.
        await h.RaiseAsync("anomaly:spend_spike:campaign:1", AlertSeverities.High);
        // Medium reaches Discord (minimum medium) only; low reaches nobody.
        await h.RaiseAsync("anomaly:cpa_jump:campaign:2", AlertSeverities.Medium, "CPA jump on Retargeting");
        await h.RaiseAsync("anomaly:orders_drop:store", AlertSeverities.Low, "Orders dipped");

        await Eventually.HoldsAsync(async () => (await h.DeliveriesAsync()).All(d => d.Status == NotificationDeliveryStatuses.Sent) && h.Fake.Discord.Received.Count == 2,
            "The deliveries were not all sent", h.DescribeAsync, TimeSpan.FromSeconds(60));
        await fixture.Smtp.WaitForMessageToAsync(recipient, TimeSpan.FromSeconds(30));
        // A sweep after the fact finds nothing left to send.
        await h.SweepAsync();

        var deliveries = await h.DeliveriesAsync();
        Assert.Equal(4, deliveries.Count);
        Assert.DoesNotContain(deliveries, d => d.ChannelKind == NotificationChannelKinds.Slack && d.AlertId != alert.Id);
        var slackMessage = Assert.Single(h.Fake.Slack.ReceivedBy(slack.HookId));
        Assert.Equal(2, h.Fake.Discord.ReceivedBy(discord.HookId).Count);
        Assert.Single(fixture.Smtp.MessagesTo(recipient));

        // Slack: the fallback text and blocks cite the title, the message, the figures and the link to the alert.
        var text = slackMessage.Body["text"]!.GetValue<string>();
        Assert.Contains("High: Spend spike on Prospecting", text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationHarness.PublicUrl}/alerts?status=all#alert-{alert.Id}", slackMessage.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("412.50 USD", slackMessage.Body["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        // Discord: an embed coloured by severity, mentions disabled.
        var embed = h.Fake.Discord.ReceivedBy(discord.HookId)[0].Body["embeds"]![0]!;
        Assert.Equal("High: Spend spike on Prospecting", embed["title"]!.GetValue<string>());
        Assert.Equal(0xF2994A, embed["color"]!.GetValue<int>());
        Assert.Empty(h.Fake.Discord.ReceivedBy(discord.HookId)[0].Body["allowed_mentions"]!["parse"]!.AsArray());
        var mail = fixture.Smtp.MessagesTo(recipient)[0];
        Assert.Contains("Spend spike on Prospecting", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Spend today: 412.50 USD", mail.TextBody, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task During_quiet_hours_nothing_is_sent_and_the_alert_goes_out_once_when_they_end(string provider)
    {
        // 23:30 in New York, quiet from 22:00 to 07:00 local.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var localLateEvening = DateOnly.FromDateTime(PinnedDate.UtcNow).AddDays(1).ToDateTime(new TimeOnly(23, 30));
        var time = new FakeTimeProvider(new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(localLateEvening, zone), TimeSpan.Zero));
        await using var h = await NotificationHarness.StartAsync(fixture, time, "America/New_York", provider);
        var slack = await h.ConnectSlackAsync();
        await h.PutSettingsAsync(new { quietHours = new { enabled = true, start = "22:00", end = "07:00" } });

        await h.RaiseAsync("anomaly:spend_spike:campaign:7", AlertSeverities.Critical);
        var deferred = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal(NotificationDeliveryStatuses.Deferred, deferred.Status);
        var end = TimeZoneInfo.ConvertTimeToUtc(localLateEvening.Date.AddDays(1).AddHours(7), zone);
        Assert.Equal(end, deferred.NextAttemptAtUtc);

        time.Advance(TimeSpan.FromHours(7));  // 06:30 local: still quiet
        await h.SweepAsync();
        Assert.Empty(h.Fake.Slack.Received);
        Assert.Equal(NotificationDeliveryStatuses.Deferred, Assert.Single(await h.DeliveriesAsync()).Status);

        time.Advance(TimeSpan.FromMinutes(31)); // 07:01 local
        await h.SweepAsync();
        await h.SweepAsync();
        Assert.Single(h.Fake.Slack.ReceivedBy(slack.HookId));
        var sent = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal(NotificationDeliveryStatuses.Sent, sent.Status);
        Assert.Equal(1, sent.Attempts);
    }

    [Fact]
    public async Task Rate_limited_posts_wait_for_Retry_After_and_are_delivered_once()
    {
        await using var h = await NotificationHarness.StartAsync(fixture);
        var slack = await h.ConnectSlackAsync();
        var discord = await h.ConnectDiscordAsync();
        h.Fake.Slack.Fail(new FakeChatFault(429, TimeSpan.FromSeconds(3)));
        h.Fake.Discord.Fail(new FakeChatFault(429, TimeSpan.FromSeconds(2)));
        h.Fake.Discord.Fail(new FakeChatFault(503));

        await h.RaiseAsync("sync:failed:meta", AlertSeverities.Critical, "Meta sync failed");

        await Eventually.HoldsAsync(async () => (await h.DeliveriesAsync()).All(d => d.Status == NotificationDeliveryStatuses.Sent),
            "The rate-limited deliveries were not sent", h.DescribeAsync, TimeSpan.FromSeconds(120));
        Assert.Single(h.Fake.Slack.ReceivedBy(slack.HookId));
        Assert.Single(h.Fake.Discord.ReceivedBy(discord.HookId));
        var deliveries = await h.DeliveriesAsync();
        Assert.Equal(2, deliveries.Single(d => d.ChannelKind == "slack").Attempts);
        Assert.Equal(3, deliveries.Single(d => d.ChannelKind == "discord").Attempts);
        // The retry came no sooner than Slack's Retry-After.
        var slackAttempts = h.Fake.Slack.Attempts.Where(a => a.HookId == slack.HookId).ToList();
        Assert.Equal([429, 200], slackAttempts.Select(a => a.Status));
        Assert.True(slackAttempts[1].At - slackAttempts[0].At >= TimeSpan.FromSeconds(3), $"retried after {slackAttempts[1].At - slackAttempts[0].At}");
        var discordAttempts = h.Fake.Discord.Attempts.Where(a => a.HookId == discord.HookId).ToList();
        Assert.Equal([429, 503, 204], discordAttempts.Select(a => a.Status));
        Assert.True(discordAttempts[1].At - discordAttempts[0].At >= TimeSpan.FromSeconds(2), $"retried after {discordAttempts[1].At - discordAttempts[0].At}");
    }

    [Fact]
    public async Task A_burst_of_alerts_is_paced_to_each_webhook_limit_without_being_refused()
    {
        await using var h = await NotificationHarness.StartAsync(fixture);
        var slack = await h.ConnectSlackAsync();
        var discord = await h.ConnectDiscordAsync();

        for (var i = 0; i < 7; i++)
        {
            await h.RaiseAsync($"anomaly:spend_spike:ad_set:{i}", AlertSeverities.High, $"Spend spike on ad set {i}");
        }

        await Eventually.HoldsAsync(async () => (await h.DeliveriesAsync()).All(d => d.Status == NotificationDeliveryStatuses.Sent),
            "The burst was not delivered", h.DescribeAsync, TimeSpan.FromSeconds(90));
        Assert.Equal(7, h.Fake.Slack.ReceivedBy(slack.HookId).Select(m => m.Body["text"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(7, h.Fake.Discord.ReceivedBy(discord.HookId).Count);
        // Slack's one a second and Discord's five per two seconds were kept: neither had to refuse a post.
        Assert.DoesNotContain(h.Fake.Slack.Attempts, a => a.Status == 429);
        Assert.DoesNotContain(h.Fake.Discord.Attempts, a => a.Status == 429);
        var slackTimes = h.Fake.Slack.ReceivedBy(slack.HookId).Select(m => m.ReceivedAt).Order().ToList();
        Assert.All(slackTimes.Zip(slackTimes.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(0.99), $"{pair.Second - pair.First}"));
    }

    [Fact]
    public async Task A_revoked_webhook_turns_its_channel_off_and_raises_an_alert_sent_elsewhere()
    {
        await using var h = await NotificationHarness.StartAsync(fixture);
        var slack = await h.ConnectSlackAsync();
        var discord = await h.ConnectDiscordAsync();
        h.Fake.Slack.Revoke(slack.HookId);

        await h.RaiseAsync("anomaly:roas_drop:campaign:3", AlertSeverities.High, "ROAS dropped");

        await Eventually.HoldsAsync(async () => h.Fake.Discord.ReceivedBy(discord.HookId).Count == 2, "Discord did not get the alert and the revoked-channel alert",
            h.DescribeAsync, TimeSpan.FromSeconds(60));
        var channel = await h.App.WithDbAsync(h.StoreId, db => db.NotificationChannels.AsNoTracking().SingleAsync(c => c.Kind == "slack"));
        Assert.False(channel.Enabled);
        Assert.Contains("no_service", channel.DisabledReason, StringComparison.Ordinal);
        var raised = await h.App.WithDbAsync(h.StoreId, db => db.Alerts.AsNoTracking().SingleAsync(a => a.Source == AlertSources.Notification));
        Assert.Equal("notification:channel_revoked:slack", raised.ActiveKey);
        Assert.Contains("Slack notifications stopped", h.Fake.Discord.ReceivedBy(discord.HookId)[1].Body.ToJsonString(), StringComparison.Ordinal);
        // Slack answered once (404), and the alert about it was not sent there.
        Assert.Equal([404], h.Fake.Slack.Attempts.Select(a => a.Status));
        Assert.DoesNotContain(await h.DeliveriesAsync(), d => d.ChannelKind == "slack" && d.AlertId == raised.Id);

        // The integrations list says so; a new webhook brings the channel back and resolves the alert.
        var integrations = await h.Api.GetFromJsonAsync<JsonElement>("/api/settings/integrations");
        Assert.Equal("error", integrations.GetProperty("data").EnumerateArray().Single(i => i.GetProperty("provider").GetString() == "slack").GetProperty("status").GetString());
        await h.ConnectSlackAsync();
        Assert.True((await h.App.WithDbAsync(h.StoreId, db => db.NotificationChannels.AsNoTracking().SingleAsync(c => c.Kind == "slack"))).Enabled);
        Assert.Equal(AlertStatuses.Resolved, (await h.App.WithDbAsync(h.StoreId, db => db.Alerts.AsNoTracking().SingleAsync(a => a.Id == raised.Id))).Status);

        // Discord's Unknown Webhook (10015) on a test does the same.
        h.Fake.Discord.Revoke(discord.HookId);
        using var test = await h.Api.PostAsync("/api/settings/notifications/discord/test", null);
        var result = (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        Assert.Equal("failed", result.GetProperty("status").GetString());
        Assert.Contains("10015", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(result.GetProperty("channelEnabled").GetBoolean());
        Assert.NotNull(await h.App.WithDbAsync(h.StoreId, db => db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.ActiveKey == "notification:channel_revoked:discord")));
    }

    [Fact]
    public async Task The_daily_digest_lists_the_days_alerts_once_a_day()
    {
        await using var h = await NotificationHarness.StartAsync(fixture);
        var slack = await h.ConnectSlackAsync(AlertSeverities.Critical);
        await h.RaiseAsync("anomaly:cpa_jump:campaign:4", AlertSeverities.Medium, "CPA jump on Broad");
        await h.RaiseAsync("anomaly:spend_spike:campaign:5", AlertSeverities.High, "Spend spike on Lookalike");
        Assert.Empty(await h.DeliveriesAsync());

        // Hour 0: due at once today.
        await h.PutSettingsAsync(new { digest = new { enabled = true, hour = 0 } });
        await h.SweepAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(h.Fake.Slack.ReceivedBy(slack.HookId).Count == 1), "The digest did not arrive", h.DescribeAsync);
        await h.SweepAsync();

        var digest = Assert.Single(h.Fake.Slack.ReceivedBy(slack.HookId)).Body["text"]!.GetValue<string>();
        Assert.Contains("Daily digest: 2 alerts", digest, StringComparison.Ordinal);
        Assert.Contains("High: Spend spike on Lookalike", digest, StringComparison.Ordinal);
        Assert.Contains("Medium: CPA jump on Broad", digest, StringComparison.Ordinal);
        Assert.True(digest.IndexOf("Lookalike", StringComparison.Ordinal) < digest.IndexOf("Broad", StringComparison.Ordinal), "most severe first");
        Assert.Equal(NotificationDeliveryKinds.Digest, Assert.Single(await h.DeliveriesAsync()).Kind);
    }

    [Fact]
    public async Task Send_test_posts_at_once_and_reports_the_result()
    {
        await using var h = await NotificationHarness.StartAsync(fixture);
        var slack = await h.ConnectSlackAsync();
        using var notConnected = await h.Api.PostAsync("/api/settings/notifications/discord/test", null);
        Assert.Equal(HttpStatusCode.NotFound, notConnected.StatusCode);

        using var response = await h.Api.PostAsync("/api/settings/notifications/slack/test", null);
        var data = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        Assert.Equal("sent", data.GetProperty("status").GetString());
        Assert.Contains("Test message from AdIntel", Assert.Single(h.Fake.Slack.ReceivedBy(slack.HookId)).Body["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var recipient = $"test-{Guid.NewGuid():N}@example.com";
        await h.PutSettingsAsync(new { channels = new[] { new { kind = "email", recipients = new[] { recipient } } } });
        using var email = await h.Api.PostAsync("/api/settings/notifications/email/test", null);
        Assert.Equal("sent", (await email.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("status").GetString());
        Assert.Contains("Test message", (await fixture.Smtp.WaitForMessageToAsync(recipient)).Subject, StringComparison.Ordinal);

        var log = await h.Api.GetFromJsonAsync<JsonElement>("/api/settings/notifications/deliveries");
        Assert.Equal(["email", "slack"], log.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("channel").GetString()));
        Assert.All(log.GetProperty("data").EnumerateArray(), d => Assert.Equal("test", d.GetProperty("kind").GetString()));
    }
}
