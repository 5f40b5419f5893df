using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Creatives;
using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Campaigns;
using AdIntel.Web.Pages.Creatives;

namespace AdIntel.Web.Tests.Creatives;

/// <summary><c>POST /api/creatives/score</c>: the copy scored against the store's brand profile, and a running ad's percentiles in its account.</summary>
[Collection(AppCollection.Name)]
public sealed class CreativeScoreApiTests(AppFixture fixture)
{
    private const string Copy = "Cheap merino socks that keep your feet warm all day. Shop now.";

    [Fact]
    public async Task The_stores_words_to_avoid_lower_its_brand_voice_score()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);
        using var voiceOnly = await store.Api.PutAsJsonAsync("/api/settings/brand-profile", new { voice = "warm" });
        var before = await ScoreAsync(store.Api, new { primaryText = Copy, headline = "Warm feet" });

        using var put = await store.Api.PutAsJsonAsync("/api/settings/brand-profile", new { voice = "warm", wordsToAvoid = new[] { "cheap" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await ScoreAsync(store.Api, new { primaryText = Copy, headline = "Warm feet" });

        var voiceBefore = SubScore(before, "brand_voice");
        var voiceAfter = SubScore(after, "brand_voice");
        Assert.True(voiceAfter.GetProperty("score").GetInt32() < voiceBefore.GetProperty("score").GetInt32(), $"{voiceAfter} vs {voiceBefore}");
        Assert.Contains("\"cheap\"", voiceAfter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("performance").ValueKind);
    }

    [Fact]
    public async Task Compliance_findings_come_back_as_policy_risk()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);
        var score = await ScoreAsync(store.Api, new { primaryText = "Are you diabetic? These socks are for you." });

        Assert.True(SubScore(score, "policy_risk").GetProperty("score").GetInt32() < 100);
        Assert.Contains(score.GetProperty("score").GetProperty("findings").EnumerateArray(), f => f.GetProperty("policyKey").GetString() == "personal_attributes");
    }

    [Fact]
    public async Task A_demo_ad_with_enough_evidence_gets_its_percentiles_and_one_without_says_so()
    {
        var app = fixture.SqliteApp;
        var (ads, threshold) = await app.WithServiceAsync<CampaignPerformanceQuery, (IReadOnlyList<PerformanceRow>, int)>(app.DemoStoreId, async query =>
        {
            var today = await app.WithServiceAsync<StoreClock, DateOnly>(app.DemoStoreId, clock => clock.GetTodayAsync(CancellationToken.None));
            var rows = await query.GetAdsAsync(DatePreset.Last30Days.RangeEndingOn(today), CancellationToken.None);
            return (rows, rows.Count(r => r.Totals.Impressions >= AdEvidence.MinImpressions && r.Totals.Spend >= AdEvidence.MinSpend));
        });
        var proven = ads.Where(r => r.Totals.Impressions >= AdEvidence.MinImpressions && r.Totals.Spend >= AdEvidence.MinSpend)
            .MaxBy(r => r.Totals.Spend)!;
        var unproven = ads.First(r => r.Totals.Impressions < AdEvidence.MinImpressions);
        var client = app.CreateClient();

        var standing = (await ScoreAsync(client, new { primaryText = Copy, adId = proven.Id })).GetProperty("performance");

        Assert.True(standing.GetProperty("enoughEvidence").GetBoolean());
        Assert.Contains("1,000 impressions", standing.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        var ctr = standing.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "ctr");
        var ctrs = ads.Where(r => r.Totals.Impressions >= AdEvidence.MinImpressions && r.Totals.Spend >= AdEvidence.MinSpend)
            .Select(r => r.Totals.Ctr!.Value).ToList();
        var mine = proven.Totals.Ctr!.Value;
        var expected = (int)Math.Round(100m * (ctrs.Count(c => c < mine) + ctrs.Count(c => c == mine) / 2m) / ctrs.Count, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, ctr.GetProperty("percentile").GetInt32());
        Assert.Equal(threshold, ctr.GetProperty("comparedAds").GetInt32());
        Assert.True(threshold >= 5, "the demo store has ads enough to compare");

        var none = (await ScoreAsync(client, new { primaryText = Copy, adId = unproven.Id })).GetProperty("performance");
        Assert.False(none.GetProperty("enoughEvidence").GetBoolean());
        Assert.StartsWith("Not enough evidence", none.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Empty(none.GetProperty("metrics").EnumerateArray());
    }

    [Fact]
    public async Task Another_stores_ad_is_not_found()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner);
        var demoAd = await fixture.SqliteApp.WithDbAsync(fixture.SqliteApp.DemoStoreId, db => Task.FromResult(db.Ads.Select(a => a.Id).First()));

        using var response = await store.Api.PostAsJsonAsync("/api/creatives/score", new { primaryText = Copy, adId = demoAd });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{}", 422, "invalid_copy")]
    [InlineData("{\"primaryText\": \"  \"}", 422, "invalid_copy")]
    [InlineData("{\"primaryText\": \"Shop now.\", \"adId\": 0}", 422, "invalid_copy")]
    [InlineData("{\"primaryText\": 5}", 400, "bad_request")]
    [InlineData("null", 400, "bad_request")]
    public async Task A_bad_body_answers_a_clear_error(string body, int status, string code)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);

        using var response = await store.Api.PostAsync("/api/creatives/score", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    private static async Task<JsonElement> ScoreAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/creatives/score", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json.GetProperty("data");
    }

    private static JsonElement SubScore(JsonElement data, string key) =>
        data.GetProperty("score").GetProperty("subScores").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);
}
