using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Rules.Api;

/// <summary>The rules API: CRUD, 422 for invalid rules, roles, presets, and audit entries.</summary>
[Collection(AppCollection.Name)]
public sealed class RulesApiTests(AppFixture fixture)
{
    private static object StopLoss(string expression = "status == 'ACTIVE' and spend_7d > 100 and purchases_7d == 0") => new
    {
        name = "Stop-loss",
        scope = "ad_set",
        expression,
        actions = new object[] { new { type = "pause" } },
        riskLevel = "low",
        automationMode = "auto_all",
        schedule = new { everyMinutes = 15 },
    };

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Crud_round_trip_versions_and_audits_every_change(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);

        var created = await store.CreateRuleAsync(StopLoss());
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("ad_set", created.GetProperty("scope").GetString());
        Assert.Equal(15, created.GetProperty("schedule").GetProperty("everyMinutes").GetInt32());
        Assert.Equal(1, created.GetProperty("version").GetInt32());
        Assert.True(created.GetProperty("active").GetBoolean());

        var list = await store.GetAsync("/api/rules");
        Assert.Equal([id], list.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        using var put = await store.Api.PutAsJsonAsync($"/api/rules/{id}", new
        {
            name = "Stop-loss v2", scope = "ad_set", expression = "spend_7d > 200", actions = new object[] { new { type = "notify", message = "look" } },
            schedule = new { dailyAt = "07:30" }, active = false,
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await store.GetAsync($"/api/rules/{id}");
        Assert.Equal("Stop-loss v2", updated.GetProperty("name").GetString());
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Equal("07:30", updated.GetProperty("schedule").GetProperty("dailyAt").GetString());
        Assert.False(updated.GetProperty("active").GetBoolean());

        using var delete = await store.Api.DeleteAsync($"/api/rules/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await store.Api.GetAsync($"/api/rules/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        var audit = await app.WithDbAsync(store.Store.StoreId, db => db.AuditEntries.Where(a => a.EntityType == "rule").Select(a => a.Action).ToListAsync());
        Assert.Equal(["rule.created", "rule.deleted", "rule.updated"], audit.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Invalid_expression_is_422_naming_the_problem_its_position_and_the_likely_name()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await store.Api.PostAsJsonAsync("/api/rules", StopLoss("spend_7d > 100 and roas7d < 1.5"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_expression", error.GetProperty("code").GetString());
        Assert.Contains("did you mean roas_7d?", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        var first = error.GetProperty("details").GetProperty("errors")[0];
        Assert.Equal("unknown_variable", first.GetProperty("code").GetString());
        Assert.Equal("roas_7d", first.GetProperty("suggestion").GetString());
        Assert.Equal(20, first.GetProperty("position").GetProperty("column").GetInt32());
        Assert.Empty(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.Rules.ToListAsync()));
    }

    [Theory]
    [InlineData("""{"name": "x", "scope": "ad", "expression": "spend_7d > 1", "actions": [{"type": "scale_budget", "percent": 10}]}""", "actions[0]")]
    [InlineData("""{"name": "x", "scope": "adset", "expression": "spend_7d > 1", "actions": [{"type": "pause"}]}""", "scope")]
    [InlineData("""{"name": "", "scope": "ad", "expression": "spend_7d > 1", "actions": [{"type": "pause"}]}""", "name")]
    [InlineData("""{"name": "x", "scope": "ad", "expression": "spend_7d > 1", "actions": [{"type": "pause"}], "schedule": {"everyMinutes": 7}}""", "schedule")]
    public async Task Invalid_rule_fields_are_422_naming_the_field(string json, string field)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await store.Api.PostAsync("/api/rules", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_rule", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("details").GetProperty("fields").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task Viewer_and_accountant_read_but_cannot_write_or_run()
    {
        var app = fixture.SqliteApp;
        var owner = await RuleTestStore.CreateAsync(app);
        var rule = await owner.CreateRuleAsync(StopLoss());
        var id = rule.GetProperty("id").GetInt64();
        foreach (var role in new[] { StoreRole.Viewer, StoreRole.Accountant })
        {
            var token = await app.WithDbAsync(owner.Store.StoreId, async db =>
            {
                var secret = Web.Infrastructure.Auth.ApiTokenAuthenticationHandler.NewToken();
                db.ApiTokens.Add(new ApiToken { Name = role.ToString(), Role = role, Prefix = secret[..8], TokenHash = Web.Infrastructure.Auth.ApiTokenAuthenticationHandler.Hash(secret), CreatedAtUtc = PinnedDate.UtcNow });
                await db.SaveChangesAsync();
                return secret;
            });
            using var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/rules")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/rules/{id}/executions")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/approvals")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/rules", StopLoss())).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/rules/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/rules/{id}/run", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/approvals/1/approve", new { })).StatusCode);
        }
    }

    [Fact]
    public async Task Every_preset_is_listed_and_creates_a_rule_that_runs()
    {
        var store = await RuleTestStore.CreateAsync(fixture.SqliteApp);

        var presets = await store.GetAsync("/api/rules/presets/list");

        Assert.True(presets.GetArrayLength() >= 12);
        foreach (var preset in presets.EnumerateArray())
        {
            var key = preset.GetProperty("key").GetString();
            var rule = await store.PostAsync($"/api/rules/presets/{key}");
            Assert.Equal(preset.GetProperty("rule").GetProperty("expression").GetString(), rule.GetProperty("expression").GetString());
            var test = await store.PostAsync($"/api/rules/{rule.GetProperty("id").GetInt64()}/test");
            Assert.True(test.GetProperty("evaluated").GetInt32() >= 1, key);
        }
        using var unknown = await store.Api.PostAsJsonAsync("/api/rules/presets/nope", new { });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Rule_filter_answers_only_the_parts_a_person_set()
    {
        var app = fixture.SqliteApp;
        var store = await RuleTestStore.CreateAsync(app);
        var plain = await store.CreateRuleAsync(StopLoss());
        var named = await store.CreateRuleAsync(new
        {
            name = "Prospecting stop-loss", scope = "ad_set", expression = "spend_7d > 100", actions = new object[] { new { type = "pause" } },
            filter = new { nameContains = "Prospecting" },
        });

        Assert.Empty(plain.GetProperty("filter").EnumerateObject());
        Assert.Equal(["nameContains"], named.GetProperty("filter").EnumerateObject().Select(p => p.Name));
        foreach (var path in new[] { "/api/rules", $"/api/rules/{plain.GetProperty("id").GetInt64()}", $"/api/rules/{named.GetProperty("id").GetInt64()}", "/api/rules/presets/list" })
        {
            using var response = await store.Api.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("isEmpty", text, StringComparison.OrdinalIgnoreCase);
        }
        var stored = await app.WithDbAsync(store.Store.StoreId, db => db.Rules.Select(r => r.FilterJson).ToListAsync());
        Assert.All(stored, json => Assert.DoesNotContain("isEmpty", json, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Catalogue_lists_every_variable_with_its_definition()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        using var response = await store.Api.GetAsync("/api/rules/catalogue");
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        var roas = data.GetProperty("variables").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "roas_7d");
        Assert.Contains("purchase_value / spend", roas.GetProperty("definition").GetString(), StringComparison.Ordinal);
        Assert.Contains(data.GetProperty("functions").EnumerateArray(), f => f.GetProperty("name").GetString() == "coalesce");
    }
}
