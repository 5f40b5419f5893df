using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Security;

[Collection(LocalAppCollection.Name)]
public sealed class AuditTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Settings_changes_record_who_changed_what_with_before_and_after(string provider)
    {
        var app = await fixture.LocalAsync(provider);
        var storeId = await app.CreateStoreAsync();
        var marketer = await app.CreateMemberAsync(storeId, StoreRole.Marketer);
        var browser = await app.SignInAsync(marketer.Email);
        var api = await app.CreateTokenClientAsync(storeId, StoreRole.Marketer, marketer);

        await browser.PostHtmxAsync("/settings", ("Input.PaymentFeePercent", "2.5"), ("Input.PaymentFeeFixed", "0.3"),
            ("Input.ShippingCostPerOrder", "0"), ("Input.OtherMarketingCostPerMonth", "0"));
        await api.PutAsJsonAsync("/api/settings/costs", new { paymentFeePercent = 2.5, paymentFeeFixed = 0.3, shippingCostPerOrder = 6, otherMarketingCostPerMonth = 0 });
        // Saving the same values again is not a change.
        await api.PutAsJsonAsync("/api/settings/costs", new { paymentFeePercent = 2.5, paymentFeeFixed = 0.3, shippingCostPerOrder = 6, otherMarketingCostPerMonth = 0 });

        var entries = await app.App.WithDbAsync(storeId, db => db.AuditEntries.OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("settings.costs_updated", e.Action));
        Assert.Equal(marketer.Email, entries[0].Actor);
        Assert.Equal("Changed cost settings: payment fee % 2.9 → 2.5.", entries[0].Summary);
        Assert.Equal(2.9m, JsonDocument.Parse(entries[0].BeforeJson!).RootElement.GetProperty("paymentFeePercent").GetDecimal());
        Assert.Equal(2.5m, JsonDocument.Parse(entries[0].AfterJson!).RootElement.GetProperty("paymentFeePercent").GetDecimal());
        Assert.Equal($"{marketer.Email} (token: tests Marketer)", entries[1].Actor);
        Assert.Equal("Changed cost settings: shipping cost per order 0 → 6.", entries[1].Summary);
    }

    [Fact]
    public async Task Token_and_member_changes_are_in_the_log_page_and_its_filter()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var viewer = await app.CreateMemberAsync(storeId, StoreRole.Viewer);
        var browser = await app.SignInAsync(owner.Email);

        await browser.PostHtmxAsync("/settings/api-tokens?handler=Create", ("Input.Name", "Looker export"), ("Input.Role", "Accountant"));
        var tokenId = await app.App.WithDbAsync(storeId, db => db.ApiTokens.Where(t => t.Name == "Looker export").Select(t => t.Id).SingleAsync());
        await browser.PostHtmxAsync($"/settings/api-tokens?handler=Revoke&id={tokenId}");
        await browser.PostHtmxAsync($"/settings/members?handler=ChangeRole&id={viewer.MemberId}", ("role", nameof(StoreRole.Marketer)));
        await browser.PostHtmxAsync($"/settings/members?handler=Remove&id={viewer.MemberId}");

        var actions = await app.App.WithDbAsync(storeId, db => db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Action + " by " + e.Actor).ToListAsync());
        Assert.Equal([$"api_token.created by {owner.Email}", $"api_token.revoked by {owner.Email}",
            $"member.role_changed by {owner.Email}", $"member.removed by {owner.Email}"], actions);
        var page = WebUtility.HtmlDecode(await (await browser.GetAsync("/settings/audit")).Content.ReadAsStringAsync());
        Assert.Contains("Created the API token “Looker export”", page, StringComparison.Ordinal);
        Assert.Contains($"Changed the role of {viewer.Email} from viewer to marketer.", page, StringComparison.Ordinal);
        var members = WebUtility.HtmlDecode(await (await browser.GetAsync("/settings/audit?What=member")).Content.ReadAsStringAsync());
        Assert.DoesNotContain("Looker export", members, StringComparison.Ordinal);
        Assert.Contains($"Removed {viewer.Email}", members, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_is_rfc_4180_csv_with_spreadsheet_formulas_defused()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        await app.App.WithDbAsync(storeId, async db =>
        {
            db.AuditEntries.Add(new AuditEntry
            {
                AtUtc = new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc), Actor = "=HYPERLINK(\"http://evil\")", Action = "rule.updated",
                EntityType = "rule", EntityId = "7", Summary = "Renamed \"Scale winners\", then paused it\nsecond line", AfterJson = "{\"a\":1}",
            });
            await db.SaveChangesAsync();
        });
        var browser = await app.SignInAsync(owner.Email);

        using var response = await browser.GetAsync("/settings/audit?handler=Export&What=rule");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            "at_utc,actor,action,entity_type,entity_id,summary,before,after\r\n" +
            "2025-03-04T05:06:07Z,\"'=HYPERLINK(\"\"http://evil\"\")\",rule.updated,rule,7,\"Renamed \"\"Scale winners\"\", then paused it\nsecond line\",,\"{\"\"a\"\":1}\"\r\n",
            csv);
    }

    [Fact]
    public async Task Export_neutralises_every_formula_trigger_in_every_text_column()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var payloads = Reports.Export.FormulaInjectionTests.Payloads;
        await app.App.WithDbAsync(storeId, async db =>
        {
            db.AuditEntries.AddRange(payloads.Select(p => new AuditEntry
            {
                AtUtc = new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc), Actor = p, Action = p, EntityType = "injection", EntityId = p, Summary = p,
                BeforeJson = p, AfterJson = p,
            }));
            await db.SaveChangesAsync();
        });
        var browser = await app.SignInAsync(owner.Email);

        using var response = await browser.GetAsync("/settings/audit?handler=Export&What=injection");
        var records = Reports.Export.ReportWritersTests.ParseRfc4180(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payloads.Length + 1, records.Count);
        Assert.Equal(payloads.Order(StringComparer.Ordinal), records.Skip(1).Select(r => r[1][1..]).Order(StringComparer.Ordinal));
        Assert.All(records.Skip(1), r =>
        {
            Assert.Equal("2025-03-04T05:06:07Z", r[0]);
            Assert.Equal("injection", r[3]);
            Assert.All(r.Skip(1).Where((_, i) => i != 2), field => Assert.Equal('\'', field[0]));
            Assert.Equal(r[1], r[4]);
        });
    }
}
