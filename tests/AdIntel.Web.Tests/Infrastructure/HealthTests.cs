using System.Net;
using System.Text.Json;

namespace AdIntel.Web.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class HealthTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Ready_reports_database_and_jobs_healthy(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var response = await app.CreateClient().GetAsync("/api/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = json.RootElement.GetProperty("data").GetProperty("checks");
        Assert.Equal("healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("jobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_api_route_answers_the_error_envelope()
    {
        var response = await fixture.SqliteApp.CreateClient().GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_found", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
