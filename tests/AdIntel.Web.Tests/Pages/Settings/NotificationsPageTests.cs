using System.Net;
using System.Text.RegularExpressions;

namespace AdIntel.Web.Tests.Pages.Settings;

/// <summary>Settings → Notifications as a browser uses it: plain forms with the antiforgery token, errors beside their field, the address never shown.</summary>
[Collection(AppCollection.Name)]
public sealed partial class NotificationsPageTests(AppFixture fixture)
{
    [Fact]
    public async Task Connecting_Slack_on_the_page_validates_the_address_and_shows_only_a_hint()
    {
        var browser = fixture.SqliteApp.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync("/settings/notifications");
        Assert.Contains("Connect Slack", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/settings/notifications\" aria-current=\"page\"", page, StringComparison.Ordinal);
        var token = RequestToken().Match(page).Groups[1].Value;

        using var refused = await browser.PostAsync("/settings/notifications?handler=Connect", Form(token, ("kind", "slack"), ("webhookUrl", "https://evil.example/services/T1/B1/x")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("A Slack incoming webhook address looks like https://hooks.slack.com/services/", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        const string secret = "pageTestSecret0123456789";
        using var connected = await browser.PostAsync("/settings/notifications?handler=Connect",
            Form(token, ("kind", "slack"), ("webhookUrl", $"https://hooks.slack.com/services/T0PAGE/B0PAGE/{secret}")));
        Assert.Equal(HttpStatusCode.Redirect, connected.StatusCode);
        var after = await browser.GetStringAsync("/settings/notifications");
        Assert.Contains("Slack connected", after, StringComparison.Ordinal);
        Assert.Contains("hooks.slack.com/…6789", after, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, after, StringComparison.Ordinal);

        using var badHours = await browser.PostAsync("/settings/notifications?handler=Schedule",
            Form(token, ("quietHoursEnabled", "true"), ("quietHoursStart", "25:00"), ("quietHoursEnd", "07:00"), ("digestHour", "8")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badHours.StatusCode);
        Assert.Contains("must be a time like 22:00", await badHours.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var withoutToken = await browser.PostAsync("/settings/notifications?handler=Disconnect", new FormUrlEncodedContent([new("kind", "slack")]));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        using var disconnected = await browser.PostAsync("/settings/notifications?handler=Disconnect", Form(token, ("kind", "slack")));
        Assert.Equal(HttpStatusCode.Redirect, disconnected.StatusCode);
        Assert.Contains("Connect Slack", await browser.GetStringAsync("/settings/notifications"), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex RequestToken();
}
