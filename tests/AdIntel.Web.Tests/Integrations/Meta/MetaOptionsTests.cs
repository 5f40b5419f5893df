using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Integrations.Meta;

[Collection(AppCollection.Name)]
public sealed class MetaOptionsTests(AppFixture fixture)
{
    [Theory]
    [InlineData("Meta:ApiVersion", "25", "Meta:ApiVersion must look like v25.0.")]
    [InlineData("Meta:GraphBaseUrl", "graph.facebook.com", "GraphBaseUrl")]
    public void Start_with_an_invalid_meta_option_fails_naming_the_key(string key, string value, string expected)
    {
        using var app = new AdIntelApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(fixture.TempDirectory, Guid.NewGuid().ToString("N") + ".db")}",
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(fixture.TempDirectory, "logs-invalid-meta"),
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }
}
