using System.Net;
using System.Net.Http.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Security;

namespace AdIntel.Web.Tests.Reports;

/// <summary>
/// Reports are for accountants and above, read-only: pages, API and exports (form and API) open to them; viewers are
/// refused; changing report e-mails takes a marketer. Enforced on the server, with local accounts and API tokens.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class ReportsAccessTests(AppFixture fixture)
{
    private static bool IsRefusal(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == "/Error?status=403");

    public static TheoryData<StoreRole> Roles => new() { StoreRole.Viewer, StoreRole.Accountant, StoreRole.Marketer, StoreRole.Owner };

    [Theory, MemberData(nameof(Roles))]
    public async Task Reports_and_exports_need_the_accountant_role(StoreRole role)
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var member = await app.CreateMemberAsync(storeId, role);
        var browser = await app.SignInAsync(member.Email);
        var token = await app.CreateTokenClientAsync(storeId, role);
        var allowed = role >= StoreRole.Accountant;

        foreach (var page in new[] { "/reports", "/reports/creative", "/reports/cohorts", "/reports/benchmarks", "/reports/ltv" })
        {
            using var response = await browser.GetAsync(page);
            Assert.True(allowed != IsRefusal(response), $"{role} GET {page}: {(int)response.StatusCode}");
        }
        foreach (var api in new[] { "/api/reports/summary", "/api/reports/creative", "/api/reports/cohorts", "/api/reports/benchmarks", "/api/reports/schedules" })
        {
            using var response = await token.GetAsync(api);
            Assert.True(allowed != IsRefusal(response), $"{role} GET {api}: {(int)response.StatusCode}");
        }
        using var apiExport = await token.PostAsJsonAsync("/api/reports/export", new { report = "summary", format = "csv" });
        Assert.True(allowed ? apiExport.StatusCode == HttpStatusCode.OK : IsRefusal(apiExport), $"{role} export API: {(int)apiExport.StatusCode}");

        if (allowed)
        {
            // The download form posts with the antiforgery token of the signed-in page.
            var antiforgery = await browser.AntiforgeryTokenAsync("/reports");
            using var download = await browser.Client.PostAsync("/reports/export",
                Browser.Form(antiforgery, ("report", "summary"), ("format", "xlsx"), ("from", "2025-01-01"), ("to", "2025-01-31")));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", download.Content.Headers.ContentType!.MediaType);
            // Without the token the same form post is refused.
            using var forged = await browser.Client.PostAsync("/reports/export",
                new FormUrlEncodedContent([KeyValuePair.Create("report", "summary"), KeyValuePair.Create("format", "csv")]));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
    }

    [Theory, MemberData(nameof(Roles))]
    public async Task Report_emails_are_changed_by_marketers_and_owners_only(StoreRole role)
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var token = await app.CreateTokenClientAsync(storeId, role);
        var owner = await app.CreateTokenClientAsync(storeId, StoreRole.Owner);
        using var existing = await owner.PostAsJsonAsync("/api/reports/schedules", new { report = "summary", format = "pdf", frequency = "weekly", recipient = "books@example.com" });
        Assert.Equal(HttpStatusCode.Created, existing.StatusCode);
        var id = (await existing.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data").GetProperty("id").GetInt64();
        var allowed = role >= StoreRole.Marketer;

        using var create = await token.PostAsJsonAsync("/api/reports/schedules", new { report = "cohorts", format = "xlsx", frequency = "monthly", recipient = "cfo@example.com" });
        using var delete = await token.DeleteAsync($"/api/reports/schedules/{id}");

        Assert.True(allowed ? create.StatusCode == HttpStatusCode.Created : IsRefusal(create), $"{role} create: {(int)create.StatusCode}");
        Assert.True(allowed ? delete.StatusCode == HttpStatusCode.NoContent : IsRefusal(delete), $"{role} delete: {(int)delete.StatusCode}");
        if (role == StoreRole.Accountant)
        {
            // Read-only: the accountant sees the schedules but the schedules page (which changes them) is closed.
            using var list = await token.GetAsync("/api/reports/schedules");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var member = await app.CreateMemberAsync(storeId, role);
            var browser = await app.SignInAsync(member.Email);
            Assert.True(IsRefusal(await browser.GetAsync("/reports/schedules")));
            Assert.True(IsRefusal(await browser.GetAsync("/settings/members")));
        }
    }

    [Fact]
    public async Task Schedule_input_is_validated_with_the_error_envelope()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var owner = await app.CreateTokenClientAsync(await app.CreateStoreAsync(), StoreRole.Owner);

        using var badRecipient = await owner.PostAsJsonAsync("/api/reports/schedules", new { report = "summary", format = "pdf", frequency = "weekly", recipient = "not an address" });
        using var badFrequency = await owner.PostAsJsonAsync("/api/reports/schedules", new { report = "summary", format = "pdf", frequency = "daily", recipient = "a@example.com" });
        using var missing = await owner.DeleteAsync("/api/reports/schedules/987654321");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badRecipient.StatusCode);
        Assert.Contains("invalid_recipient", await badRecipient.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badFrequency.StatusCode);
        Assert.Contains("invalid_frequency", await badFrequency.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
