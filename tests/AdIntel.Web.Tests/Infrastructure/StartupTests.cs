using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class StartupTests(AppFixture fixture)
{
    [Theory]
    [InlineData("Database:Provider", "Oracle", "Database:Provider must be Sqlite or Postgres.")]
    [InlineData("Auth:Mode", "Anyone", "Auth:Mode must be Demo, Local or Shopify.")]
    [InlineData("Import:MaxFileMegabytes", "0", "MaxFileMegabytes")]
    [InlineData("Llm:Provider", "gemini", "Llm:Provider must be none, openai or anthropic.")]
    [InlineData("Llm:BaseUrl", "localhost:11434", "Llm:BaseUrl must be an absolute http(s) address.")]
    [InlineData("Llm:MonthlyTokenBudget", "10", "Llm:MonthlyTokenBudget must be between")]
    public void Start_with_an_invalid_option_fails_naming_the_key(string key, string value, string expected)
    {
        using var app = new AdIntelApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(fixture.TempDirectory, Guid.NewGuid().ToString("N") + ".db")}",
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(fixture.TempDirectory, "logs-invalid"),
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_with_scripts_on_in_shopify_mode_fails_naming_the_key()
    {
        using var app = new AdIntelApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(fixture.TempDirectory, Guid.NewGuid().ToString("N") + ".db")}",
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(fixture.TempDirectory, "logs-invalid"),
            ["Auth:Mode"] = "Shopify",
            ["Rules:CSharpScripts:Enabled"] = "true",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains("Rules:CSharpScripts:Enabled must be false with Auth:Mode=Shopify", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_appsettings_json_is_the_base_configuration()
    {
        var configuration = fixture.SqliteApp.Services.GetService(typeof(Microsoft.Extensions.Configuration.IConfiguration))
            as Microsoft.Extensions.Configuration.IConfiguration;

        // Only the repository's appsettings.json sets Urls; the test host does not override it.
        Assert.Equal("http://localhost:4310", configuration!["Urls"]);
    }
}
