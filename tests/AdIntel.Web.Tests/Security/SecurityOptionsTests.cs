using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Security;

[Collection(AppCollection.Name)]
public sealed class SecurityOptionsTests(AppFixture fixture)
{
    [Theory]
    [InlineData("Security:ApiPermitsPerMinute", "0", "Security:ApiPermitsPerMinute must be between")]
    [InlineData("Security:MaxRequestBodyKilobytes", "1", "Security:MaxRequestBodyKilobytes must be between")]
    [InlineData("Auth:LockoutAttempts", "1", "Auth:LockoutAttempts must be between")]
    [InlineData("Auth:PublicUrl", "adintel.example.com", "Auth:PublicUrl must be an absolute http(s) address.")]
    [InlineData("Smtp:Host", "smtp.example.com", "Smtp:From must be a valid sender address")]
    [InlineData("Smtp:Security", "Maybe", "Smtp:Security must be Auto, StartTls, SslOnConnect or None.")]
    public void Start_with_an_invalid_security_option_fails_naming_the_key(string key, string value, string expected)
    {
        using var app = new AdIntelApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(fixture.TempDirectory, Guid.NewGuid().ToString("N") + ".db")}",
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(fixture.TempDirectory, "logs-invalid-security"),
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }
}
