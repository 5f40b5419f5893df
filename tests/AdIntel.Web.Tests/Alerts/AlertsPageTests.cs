using System.Net;
using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>
/// The alerts screen in a browser session: the list with evidence and next step, the navigation badge, actions with
/// their antiforgery token answered by htmx with the list and the badge out of band, filters, and the empty state.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AlertsPageTests(AppFixture fixture)
{
    [Fact]
    public async Task A_marketer_snoozes_and_dismisses_alerts_and_the_badge_follows()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await local.CreateStoreAsync();
        var member = await local.CreateMemberAsync(storeId, StoreRole.Marketer);
        var browser = await local.SignInAsync(member.Email);
        var ids = new List<long>();
        foreach (var key in new[] { "page:1", "page:2", "page:3" })
        {
            ids.Add((await local.App.WithServiceAsync<AlertWriter, Alert>(storeId, w => w.RaiseAsync(new AlertSignal
            {
                Source = AlertSources.Anomaly, Type = "spend_spike", ConditionKey = key, Severity = AlertSeverities.High, Title = "Spend spike " + key,
                Message = "Spent 412.50 against a usual 100.00.", NextStep = "Lower the budget of " + key, EntityType = "ad_set", EntityId = 1, EntityName = "Broad",
                Evidence = new AlertEvidence([new AlertFigure("Robust z", 31.25m, "ratio")], new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 26)),
            }, CancellationToken.None))).Id);
        }

        var html = await browser.Client.GetStringAsync("/alerts");
        Assert.Contains("Spend spike page:2", html, StringComparison.Ordinal);
        Assert.Contains("Lower the budget of page:2", html, StringComparison.Ordinal);
        Assert.Contains("31.25", html, StringComparison.Ordinal);
        Assert.Contains("2026-10-01 to 2026-11-26", html, StringComparison.Ordinal);
        Assert.Matches("id=\"alerts-badge\"[^>]*>3</span>", html);
        // Every action form carries its antiforgery token (a plain submit works without htmx).
        Assert.Equal(System.Text.RegularExpressions.Regex.Count(html, "<form method=\"post\""),
            System.Text.RegularExpressions.Regex.Count(html, "<form method=\"post\"[^>]*>(?:(?!</form>).)*__RequestVerificationToken", System.Text.RegularExpressions.RegexOptions.Singleline));

        using var snoozed = await browser.PostHtmxAsync("/alerts?handler=Status", ("id", ids[0].ToString()), ("status", "snoozed"), ("snooze", "1h"));
        var fragment = await snoozed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, snoozed.StatusCode);
        Assert.StartsWith("<div id=\"alert-list\"", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.Matches("id=\"alerts-badge\"[^>]*hx-swap-oob=\"true\"[^>]*>2</span>", fragment);
        Assert.DoesNotContain($"id=\"alert-{ids[0]}\"", fragment, StringComparison.Ordinal);
        Assert.Contains("page:1&quot;: snoozed until", fragment, StringComparison.Ordinal);
        var snooze = await local.App.WithDbAsync(storeId, db => db.Alerts.AsNoTracking().SingleAsync(a => a.Id == ids[0]));
        Assert.Equal(AlertStatuses.Snoozed, snooze.Status);
        Assert.InRange(snooze.SnoozedUntilUtc!.Value, PinnedDate.UtcNow.AddMinutes(55), PinnedDate.UtcNow.AddMinutes(65));

        using var dismissed = await browser.PostHtmxAsync("/alerts?handler=Dismiss", ("ids", ids[1].ToString()), ("ids", ids[2].ToString()));
        var empty = await dismissed.Content.ReadAsStringAsync();
        Assert.Contains("2 alerts dismissed.", empty, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"alerts-empty\"", empty, StringComparison.Ordinal);
        Assert.Matches("id=\"alerts-badge\"[^>]*hidden[^>]*>0</span>", empty);

        var all = await browser.Client.GetStringAsync("/alerts?status=dismissed&severity=high");
        Assert.Contains("Spend spike page:3", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Spend spike page:1", all, StringComparison.Ordinal);
        var badge = await browser.Client.GetStringAsync("/alerts?handler=Badge");
        Assert.Matches("id=\"alerts-badge\"[^>]*>0</span>", badge);
    }
}
