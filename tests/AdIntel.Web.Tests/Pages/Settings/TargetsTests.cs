using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Recommendations;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Settings;

/// <summary>
/// Store targets: edited on Settings → Targets and through <c>/api/settings/targets</c> with validation, reported in
/// <c>/api/overview</c> with on/off target per KPI, and marked on the overview's KPI cards.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class TargetsTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Api_gives_the_defaults_saves_changes_audited_and_refuses_bad_values(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(StoreRole.Marketer);

        var defaults = await DataAsync(await store.Api.GetAsync("/api/settings/targets"));
        Assert.Equal((3m, 2m, 3m, 90, 1.5m), (defaults.GetProperty("mer").GetDecimal(), defaults.GetProperty("roas").GetDecimal(),
            defaults.GetProperty("ltvToCac").GetDecimal(), defaults.GetProperty("paybackDays").GetInt32(), defaults.GetProperty("poas").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("cpa").ValueKind);

        var saved = await DataAsync(await store.Api.PutAsJsonAsync("/api/settings/targets", new { mer = 4, paybackDays = 60, cpa = 35.5 }));
        Assert.Equal((4m, 2m, 60, 35.5m), (saved.GetProperty("mer").GetDecimal(), saved.GetProperty("roas").GetDecimal(),
            saved.GetProperty("paybackDays").GetInt32(), saved.GetProperty("cpa").GetDecimal()));
        var audit = await app.WithDbAsync(store.StoreId, db => db.AuditEntries.SingleAsync(e => e.Action == "settings.targets_updated"));
        Assert.Equal("Changed targets: MER default → 4; payback days default → 60; target CPA break-even → 35.5.", audit.Summary);

        using var invalid = await store.Api.PutAsJsonAsync("/api/settings/targets", new { mer = 0, paybackDays = 400, cpa = -1 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var error = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_settings", error.GetProperty("code").GetString());
        Assert.Equal(["cpa", "mer", "paybackDays"], error.GetProperty("details").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        using var notJson = await store.Api.PutAsync("/api/settings/targets", new StringContent("{\"mer\": \"high\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(4m, (await DataAsync(await store.Api.GetAsync("/api/settings/targets"))).GetProperty("mer").GetDecimal());

        var viewer = await app.CreateStoreAsync(StoreRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Api.PutAsJsonAsync("/api/settings/targets", new { mer = 4 })).StatusCode);
    }

    [Fact]
    public async Task Overview_api_judges_each_kpi_against_its_target()
    {
        var (store, _, _, _) = await WinnersAndLosers.CreateAsync(fixture.SqliteApp);

        var data = await store.GetDataAsync("/api/overview");

        // Last 30 days: 60 orders of 100 (margin 56.80 each), spend 10 × (90 + 45), Meta purchase value 10 × 450.
        var targets = data.GetProperty("targets");
        AssertTarget(targets.GetProperty("mer"), "above", 3m, isDefault: true, 6000m / 1350m, onTarget: true);
        AssertTarget(targets.GetProperty("roas"), "above", 2m, isDefault: true, 4500m / 1350m, onTarget: true);
        AssertTarget(targets.GetProperty("poas"), "above", 1.5m, isDefault: true, 60 * 56.8m / 1350m, onTarget: true);
        // Guest orders only: no customers, so no LTV:CAC or payback to judge.
        Assert.Equal(JsonValueKind.Null, targets.GetProperty("ltvToCac").GetProperty("onTarget").ValueKind);
        Assert.Equal(JsonValueKind.Null, targets.GetProperty("paybackDays").GetProperty("value").ValueKind);
        var cpa = targets.GetProperty("cpa");
        Assert.Equal(("below", 56.8m, "breakEven"), (cpa.GetProperty("comparison").GetString(), cpa.GetProperty("target").GetDecimal(), cpa.GetProperty("basis").GetString()));
        Assert.Equal(data.GetProperty("kpis").GetProperty("mer").GetDecimal(), targets.GetProperty("mer").GetProperty("value").GetDecimal());

        await store.PutTargetsAsync(new { mer = 5, cpa = 40 });
        targets = (await store.GetDataAsync("/api/overview")).GetProperty("targets");
        AssertTarget(targets.GetProperty("mer"), "above", 5m, isDefault: false, 6000m / 1350m, onTarget: false);
        Assert.Equal((40m, "setting"), (targets.GetProperty("cpa").GetProperty("target").GetDecimal(), targets.GetProperty("cpa").GetProperty("basis").GetString()));

        var html = WebUtility.HtmlDecode(await store.Api.GetStringAsync("/"));
        Assert.Matches(TargetBadge("mer", "off", "MER above 5.00×"), html);
        Assert.Matches(TargetBadge("roas", "on", "ROAS above 2.00× \\(default\\)"), html);
        Assert.DoesNotMatch(new Regex("data-metric=\"ltvToCac\">(?:(?!data-metric=).)*data-target=", RegexOptions.Singleline), html);
    }

    [Fact]
    public async Task Settings_page_edits_the_targets_with_validation()
    {
        var browser = fixture.SqliteApp.CreateClient();
        var page = await browser.GetStringAsync("/settings/targets");
        Assert.Contains("Empty: break-even, what one order leaves before ads", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var token = RequestToken().Match(page).Groups[1].Value;
        async Task<string> PostAsync(params (string, string)[] fields)
        {
            var form = fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)).Append(KeyValuePair.Create("__RequestVerificationToken", token));
            using var response = await browser.PostAsync("/settings/targets", new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }
        try
        {
            var refused = await PostAsync(("Input.Mer", "4"), ("Input.PaybackDays", "0"));
            Assert.Contains("nothing was saved", refused, StringComparison.Ordinal);
            Assert.Contains("must be between 1 and 365", refused, StringComparison.Ordinal);
            var notANumber = await PostAsync(("Input.Mer", "lots"));
            Assert.Contains("nothing was saved", notANumber, StringComparison.Ordinal);
            Assert.Null(await MerTargetAsync());

            var saved = await PostAsync(("Input.Mer", "4.5"), ("Input.Poas", "2"), ("Input.Cpa", ""));
            Assert.Contains("Saved.", saved, StringComparison.Ordinal);
            Assert.Equal(4.5m, await MerTargetAsync());
            Assert.Contains("MER above 4.50×", WebUtility.HtmlDecode(await browser.GetStringAsync("/")), StringComparison.Ordinal);
        }
        finally
        {
            await PostAsync();
        }
        Assert.Null(await MerTargetAsync());
    }

    private Task<decimal?> MerTargetAsync() =>
        fixture.SqliteApp.WithDbAsync(fixture.SqliteApp.DemoStoreId, db => db.StoreSettings.Select(s => s.TargetMer).SingleAsync());

    private static void AssertTarget(JsonElement target, string comparison, decimal value, bool isDefault, decimal kpi, bool onTarget)
    {
        Assert.Equal(comparison, target.GetProperty("comparison").GetString());
        Assert.Equal(value, target.GetProperty("target").GetDecimal());
        Assert.Equal(isDefault, target.GetProperty("isDefault").GetBoolean());
        Assert.Equal(Math.Round(kpi, 4, MidpointRounding.AwayFromZero), target.GetProperty("value").GetDecimal());
        Assert.Equal(onTarget, target.GetProperty("onTarget").GetBoolean());
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        using var _ = response;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    private static Regex TargetBadge(string metric, string state, string description) =>
        new($"data-metric=\"{metric}\">(?:(?!data-metric=).)*data-target=\"{state}\" title=\"Target: {description}", RegexOptions.Singleline);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex RequestToken();
}
