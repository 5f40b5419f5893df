using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Alerts;

[Collection(AppCollection.Name)]
public sealed class NotificationsOptionsTests(AppFixture fixture)
{
    [Theory]
    [InlineData("Notifications:SlackWebhookBaseUrl", "hooks.slack.com/services/", "must be absolute http(s) addresses ending in '/'")]
    [InlineData("Notifications:DiscordWebhookBaseUrls:0", "https://discord.com/api/webhooks", "must be absolute http(s) addresses ending in '/'")]
    [InlineData("Notifications:RetryBaseDelay", "00:00:00", "Notifications:RetryBaseDelay must be positive")]
    public void Start_with_an_invalid_notifications_option_fails_naming_the_key(string key, string value, string expected)
    {
        using var app = new AdIntelApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(fixture.TempDirectory, Guid.NewGuid().ToString("N") + ".db")}",
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(fixture.TempDirectory, "logs-invalid-notifications"),
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }
}
