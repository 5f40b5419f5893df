using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AdIntel.Fakes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

/// <summary>
/// A merchant connects Slack, imports nine weeks of steady delivery, then a day on which one ad spent ten times its
/// usual: the anomaly raises an alert, Slack gets exactly one message about it; a second spike during quiet hours waits
/// instead of ringing; the merchant snoozes the first alert from the alerts page.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class AlertsTests(E2EFixture fixture)
{
    private const string Campaign = "Prospecting";
    private const string AdSet = "Broad";
    private const int Ads = 10;
    private const decimal UsualSpend = 50m;
    private const decimal SpikeSpend = 500m;

    [Fact]
    public async Task Anomaly_raises_an_alert_that_reaches_slack_once_waits_out_quiet_hours_and_is_snoozed_in_the_browser()
    {
        await using var fakes = await FakeServer.StartAsync();
        var (app, baseAddress) = fixture.StartApp(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Local",
            ["Notifications:SlackWebhookBaseUrl"] = fakes.SlackWebhookBaseUrl,
        });
        await using var _ = app;
        // A store whose day is well clear of midnight, so "yesterday" cannot move while the test runs.
        var (timeZone, storeNow) = ZoneAwayFromMidnight();
        var yesterday = DateOnly.FromDateTime(storeNow).AddDays(-1);
        var page = await fixture.NewPageAsync(baseAddress: baseAddress);

        await page.GotoAsync("/");
        await page.FillAsync("#Input_Email", "owner@alerts.test");
        await page.FillAsync("#Input_DisplayName", "Avery Owner");
        await page.FillAsync("#NewPassword_Password", "correct horse battery staple");
        await page.FillAsync("#NewPassword_ConfirmPassword", "correct horse battery staple");
        await page.FillAsync("#Input_StoreName", "Alerting Goods");
        await page.FillAsync("#Input_ShopDomain", "alerting-goods.myshopify.com");
        await page.SelectOptionAsync("#Input_TimeZone", timeZone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner account" }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(SetupUrl());

        // Slack: the incoming webhook pasted in Settings → Notifications, high alerts and above.
        var hook = fakes.CreateSlackHook();
        await page.GotoAsync("/settings/notifications");
        var slack = page.GetByTestId("channel-slack");
        await slack.Locator("input[name=webhookUrl]").FillAsync(hook.Url);
        await slack.GetByRole(AriaRole.Button, new() { Name = "Connect Slack" }).ClickAsync();
        await Expect(slack.GetByTestId("webhook-hint")).ToBeVisibleAsync();
        await slack.Locator("select[name=minimumSeverity]").SelectOptionAsync("high");
        await slack.GetByRole(AriaRole.Button, new() { Name = "Save Slack" }).ClickAsync();
        await Expect(page.GetByTestId("notifications-flash")).ToBeVisibleAsync();

        // Nine weeks of steady delivery up to and including yesterday: nothing to say.
        await ImportAdsAsync(page, "nine-weeks.csv", DeliveryCsv(yesterday.AddDays(-63), yesterday, spikes: []));

        // Yesterday corrected: "Hook 1" spent ten times its usual. Its ad set and campaign rose 90 % (medium: below Slack's bar).
        await ImportAdsAsync(page, "yesterday-corrected.csv", DeliveryCsv(yesterday, yesterday, spikes: ["Hook 1"]));
        await page.GotoAsync("/alerts");
        var firstAlert = page.GetByTestId("alert").Filter(new() { HasText = "Spend spike: Hook 1" });
        await ExpectEventuallyAsync(page, firstAlert, "the spend spike of Hook 1 never became an alert");
        await Expect(firstAlert).ToContainTextAsync(SpikeSpend.ToString("N2", CultureInfo.InvariantCulture));
        await Expect(firstAlert.Locator(".badge").First).ToHaveTextAsync("high");

        await page.GotoAsync("/settings/notifications");
        var log = page.GetByTestId("notification-log");
        await Expect(log.Locator("tr").Filter(new() { HasText = "Spend spike: Hook 1" }).Locator(".badge"))
            .ToHaveTextAsync("sent", new() { Timeout = 30_000 });
        var messages = fakes.Slack.ReceivedBy(hook.HookId);
        Assert.Single(messages);
        Assert.Contains("Spend spike: Hook 1", messages[0].Body.ToJsonString(), StringComparison.Ordinal);

        // Quiet hours from the hour before now to two hours ahead (store time), then a second ad spikes.
        var schedule = page.Locator("form").Filter(new() { Has = page.Locator("input[name=quietHoursStart]") });
        await schedule.Locator("input[name=quietHoursEnabled]").CheckAsync();
        await schedule.Locator("input[name=quietHoursStart]").FillAsync($"{(storeNow.Hour + 23) % 24:00}:00");
        await schedule.Locator("input[name=quietHoursEnd]").FillAsync($"{(storeNow.Hour + 2) % 24:00}:00");
        await schedule.GetByRole(AriaRole.Button, new() { Name = "Save quiet hours and digest" }).ClickAsync();
        await Expect(page.GetByTestId("notifications-flash")).ToBeVisibleAsync();

        await ImportAdsAsync(page, "yesterday-again.csv", DeliveryCsv(yesterday, yesterday, spikes: ["Hook 1", "Hook 2"]));
        await page.GotoAsync("/alerts");
        var secondAlert = page.GetByTestId("alert").Filter(new() { HasText = "Spend spike: Hook 2" });
        await ExpectEventuallyAsync(page, secondAlert, "the spend spike of Hook 2 never became an alert");
        // Hook 1's condition was seen again: the same alert, counted twice, not a new one.
        await Expect(page.GetByTestId("alert").Filter(new() { HasText = "Spend spike: Hook 1" })).ToHaveCountAsync(1);
        await Expect(firstAlert).ToContainTextAsync(new Regex(@"Seen ([2-9]|\d{2,}) times"));

        await page.GotoAsync("/settings/notifications");
        await Expect(log.Locator("tr").Filter(new() { HasText = "Spend spike: Hook 2" }).Locator(".badge")).ToHaveTextAsync("deferred");
        Assert.Single(fakes.Slack.ReceivedBy(hook.HookId));

        // The merchant snoozes the first alert for an hour, from the alerts page.
        await page.GotoAsync("/alerts");
        await firstAlert.Locator("select[name=snooze]").SelectOptionAsync("1h");
        await firstAlert.GetByRole(AriaRole.Button, new() { Name = "Snooze" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("snoozed until");
        // Snoozed alerts leave "Needs attention" (Hook 2's stays) and are listed under their status.
        await Expect(firstAlert).ToHaveCountAsync(0);
        await Expect(secondAlert).ToHaveCountAsync(1);
        await page.Locator("[data-testid=alert-filters] select[name=status]").SelectOptionAsync("snoozed");
        await page.GetByTestId("alert-filters").GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("status=snoozed"));
        await Expect(firstAlert).ToHaveAttributeAsync("data-status", "snoozed");
        await Expect(firstAlert.Locator(".alert-meta").First).ToContainTextAsync(new Regex(@"snoozed until \d{4}-\d{2}-\d{2} \d{2}:\d{2}"));
        await page.ReloadAsync();
        await Expect(firstAlert).ToHaveAttributeAsync("data-status", "snoozed");
        Assert.Single(fakes.Slack.ReceivedBy(hook.HookId));
    }

    /// <summary>Uploads an Ads Manager export on the imports page and waits for the import to finish.</summary>
    private static async Task ImportAdsAsync(IPage page, string fileName, string csv)
    {
        await page.GotoAsync("/imports");
        var card = page.Locator("#import-meta-ads");
        await card.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = fileName,
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await card.GetByRole(AriaRole.Button, new() { Name = "Import ads" }).ClickAsync();
        await Expect(card.Locator(".import-result .banner.success")).ToContainTextAsync($"“{fileName}” was imported.", new() { Timeout = 30_000 });
    }

    /// <summary>
    /// The alerts page until <paramref name="alert"/> shows: detection runs in the background after the import, and the
    /// page is reloaded (as a merchant would) until it appears.
    /// </summary>
    private static async Task ExpectEventuallyAsync(IPage page, ILocator alert, string failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await alert.CountAsync() == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{failure} (waited 30 s). The alerts page shows: {await page.Locator("main").InnerTextAsync()}");
            await page.WaitForTimeoutAsync(250);
            await page.ReloadAsync();
        }
    }

    /// <summary>One row per ad and day: ten ads of one ad set spending about $50 a day, the named ones $500 on the last day.</summary>
    private static string DeliveryCsv(DateOnly from, DateOnly to, IReadOnlyCollection<string> spikes)
    {
        var csv = new StringBuilder("Day,Campaign name,Ad set name,Ad name,Amount spent (USD),Impressions\n");
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            for (var ad = 1; ad <= Ads; ad++)
            {
                var name = $"Hook {ad}";
                // A little day-to-day wobble (±$2), as real delivery has.
                var spend = day == to && spikes.Contains(name) ? SpikeSpend : UsualSpend + (day.DayNumber + ad) % 5 - 2;
                csv.Append(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},{Campaign},{AdSet},{name},{spend:0.00},{(int)(spend * 40)}\n");
            }
        }
        return csv.ToString();
    }

    /// <summary>A time zone whose local time is between 06:00 and 18:00 now, and that time.</summary>
    private static (string TimeZone, DateTime LocalNow) ZoneAwayFromMidnight()
    {
        string[] zones = ["Africa/Abidjan", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "Pacific/Honolulu", "Europe/Berlin"];
        foreach (var id in zones)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(id));
            if (local.Hour is >= 6 and < 18)
            {
                return (id, local);
            }
        }
        throw new InvalidOperationException("No candidate zone is between 06:00 and 18:00 (they cover every hour of the day).");
    }

    [GeneratedRegex("/account/setup")]
    private static partial Regex SetupUrl();
}
