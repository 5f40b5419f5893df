using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdIntel.Fakes;
using AdIntel.Fakes.Llm;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Creatives;
using AdIntel.Web.Creatives.Generation;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Llm;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// <c>POST /api/creatives/generate</c> and the generator behind it: the templates without an LLM (varied, in the brand's
/// voice, never a word the brand avoids, every variant scored and checked), and the LLM through the fake provider
/// (its variants shown with their findings; words to avoid left out; bad answers and failures fall back to templates with a notice).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CreativeGenerationTests(AppFixture fixture)
{
    private static readonly object Profile = new
    {
        voice = "playful, warm",
        audience = "Runners who train outdoors all year",
        productsToFeature = new[] { "Trail Socks" },
        wordsToAvoid = new[] { "cheap", "treat", "everyday", "socks" },
        claimsAllowed = new[] { "Rated 4.8 by 2,000 customers", "Free shipping over $50", "Keeps feet dry on long runs" },
    };

    private static readonly string[] Avoided = ["cheap", "treat", "everyday", "socks"];

    [Fact]
    public async Task Without_an_llm_templates_write_distinct_variants_in_the_brand_voice_never_using_an_avoided_word_each_scored_and_checked()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);
        using var put = await store.Api.PutAsJsonAsync("/api/settings/brand-profile", Profile);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        foreach (var angle in CreativeAngles.All)
        {
            var data = await GenerateAsync(store.Api, new { product = "Cheap Trail Socks", angle, format = "video", count = 8 });

            Assert.Equal("template", data.GetProperty("source").GetString());
            Assert.Contains(data.GetProperty("notices").EnumerateArray(), n => n.GetString()!.StartsWith("No LLM is configured", StringComparison.Ordinal));
            var variants = data.GetProperty("variants").EnumerateArray().ToList();
            Assert.Equal(8, variants.Count);
            Assert.Equal(8, variants.Select(v => v.GetProperty("primaryText").GetString()).Distinct().Count());
            foreach (var v in variants)
            {
                var text = $"{v.GetProperty("primaryText")} {v.GetProperty("headline")} {v.GetProperty("description")}";
                Assert.DoesNotContain(Avoided, word => BrandProfile.Uses(text, word));
                Assert.Equal("template", v.GetProperty("origin").GetString());
                Assert.InRange(v.GetProperty("primaryText").GetString()!.Length, 20, CopyLimits.PrimaryText);
                Assert.InRange(v.GetProperty("headline").GetString()!.Length, 1, CopyLimits.Headline);
                Assert.True(v.GetProperty("description").GetString()!.Length <= CopyLimits.Description, text);
                // The playful voice exclaims once, in the hook; "!!" would be a policy finding.
                Assert.Contains("!", v.GetProperty("primaryText").GetString()!);
                var score = v.GetProperty("score");
                Assert.InRange(score.GetProperty("overall").GetInt32(), 0, 100);
                Assert.Equal(7, score.GetProperty("subScores").GetArrayLength());
                Assert.True(v.GetProperty("compliant").GetBoolean(), $"{angle}: {text} → {score.GetProperty("findings")}");
                var voice = score.GetProperty("subScores").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "brand_voice");
                Assert.True(voice.GetProperty("score").GetInt32() >= 80, $"{angle}: {text}: {voice}");
            }
            if (angle == CreativeAngles.SocialProof)
            {
                // Social proof quotes the allowed claim rather than inventing one.
                Assert.Contains(variants, v => v.GetProperty("primaryText").GetString()!.Contains("Rated 4.8 by 2,000 customers", StringComparison.Ordinal));
            }
            if (angle == CreativeAngles.Offer)
            {
                Assert.All(variants, v => Assert.Equal("GET_OFFER", v.GetProperty("callToAction").GetString()));
                Assert.All(variants, v => Assert.Contains("Free shipping over $50", v.GetProperty("primaryText").GetString()!, StringComparison.Ordinal));
            }
        }

        // Deterministic: the same request writes the same variants.
        var first = await GenerateAsync(store.Api, new { product = "Trail Runner", angle = "urgency", format = "carousel", count = 5 });
        var again = await GenerateAsync(store.Api, new { product = "Trail Runner", angle = "urgency", format = "carousel", count = 5 });
        Assert.Equal(first.GetProperty("variants").ToString(), again.GetProperty("variants").ToString());
        Assert.Contains(first.GetProperty("variants").EnumerateArray(), v => v.GetProperty("primaryText").GetString()!.Contains("Swipe", StringComparison.Ordinal));
        Assert.DoesNotContain(first.GetProperty("variants").EnumerateArray(),
            v => System.Text.RegularExpressions.Regex.IsMatch(v.GetProperty("primaryText").GetString()!, @"only \d+ left|ends (tonight|today|in)", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
    }

    [Fact]
    public void A_calm_voice_never_exclaims_and_an_empty_profile_still_writes_clean_copy()
    {
        var calm = BrandProfile.Normalized("calm, minimal", null, [], [], []);
        var drafts = TemplateCopyWriter.Write(new GenerationRequest("Linen Throw", CreativeAngles.Benefit, CreativeFormats.Image, 6, null), calm);
        Assert.Equal(6, drafts.Count);
        Assert.All(drafts, d => Assert.DoesNotContain("!", d.AllText));

        var plain = TemplateCopyWriter.Write(new GenerationRequest("Linen Throw", CreativeAngles.Offer, CreativeFormats.Image, 4, null), BrandProfile.Empty);
        Assert.Equal(4, plain.Count);
        // Without an allowed offer the offer angle states no discount.
        Assert.All(plain, d => Assert.DoesNotMatch(@"\d+ ?%|\$\d", d.AllText));
        Assert.All(plain, d => Assert.Empty(Web.Creatives.Compliance.AdCopyCompliance.Check(d.ToCopy())));
    }

    [Fact]
    public async Task The_llms_variants_are_scored_and_a_policy_breaking_one_is_shown_with_its_finding()
    {
        var (kit, storeId) = await StartAsync();
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.Json(Reply(
            ("Cold toes on long runs? Shop merino trail wear that keeps you warm.", "Warm feet, every mile", "Merino blend"),
            ("Are you diabetic? These are for you.", "Made for you", "Shop now"),
            ("Keeps feet dry on long runs. Get yours today.", "Dry feet, happy runs", "Shop the range"))));
        var brand = BrandProfile.Normalized("warm", "Runners", [], ["cheap"], ["Keeps feet dry on long runs"]);

        var result = await GenerateAsync(kit, storeId, new GenerationRequest("Trail Socks", CreativeAngles.ProblemSolution, CreativeFormats.Image, 3, null), brand);

        Assert.Equal(CreativeVariantOrigins.Ai, result.Source);
        Assert.Empty(result.Notices);
        Assert.Equal(3, result.Variants.Count);
        Assert.All(result.Variants, v => Assert.Equal(CreativeVariantOrigins.Ai, v.Origin));
        var flagged = result.Variants[1];
        Assert.False(flagged.Compliant);
        var finding = Assert.Single(flagged.Score.Findings);
        Assert.Equal("personal_attributes", finding.PolicyKey);
        Assert.Equal("Are you diabetic", finding.Quote.TrimEnd('?'));
        Assert.False(string.IsNullOrWhiteSpace(finding.Suggestion));
        Assert.True(flagged.Score.SubScores.Single(s => s.Key == "policy_risk").Score < 100);
        Assert.True(result.Variants[0].Compliant);

        // The request carried the brand's rules and asked for the variants' schema.
        var request = Assert.Single(kit.Fake.Requests);
        Assert.Contains("wordsToAvoid", request.UserTexts[0], StringComparison.Ordinal);
        Assert.Contains("\"cheap\"", request.UserTexts[0], StringComparison.Ordinal);
        Assert.NotNull(request.ResponseSchema);
        Assert.Contains("direct-response copywriter", request.System, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_llm_variant_with_a_word_to_avoid_is_replaced_by_a_template_one_and_the_notice_says_so()
    {
        var (kit, storeId) = await StartAsync();
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.Json(Reply(
            ("Warm merino for every trail. Shop now.", "Warm on every trail", "Merino blend"),
            ("The CHEAP way to warm feet. Shop now.", "Warm feet", "Shop now"))));
        var brand = BrandProfile.Normalized(null, null, [], ["cheap"], []);

        var result = await GenerateAsync(kit, storeId, new GenerationRequest("Trail Socks", CreativeAngles.Benefit, CreativeFormats.Image, 2, null), brand);

        Assert.Equal(2, result.Variants.Count);
        Assert.Equal([CreativeVariantOrigins.Ai, CreativeVariantOrigins.Template], result.Variants.Select(v => v.Origin));
        Assert.DoesNotContain(result.Variants, v => BrandProfile.Uses($"{v.PrimaryText} {v.Headline} {v.Description}", "cheap"));
        Assert.Contains(result.Notices, n => n.Contains("word the brand avoids", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_llm_output_twice_falls_back_to_templates_with_a_notice()
    {
        var (kit, storeId) = await StartAsync();
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.Text("Here are your ads: 1. Buy socks"), FakeLlmReply.Json(new JsonObject { ["variants"] = new JsonArray(new JsonObject { ["primaryText"] = "x" }) }));

        var result = await GenerateAsync(kit, storeId, new GenerationRequest("Trail Socks", CreativeAngles.Urgency, CreativeFormats.Image, 4, null), BrandProfile.Empty);

        Assert.Equal(2, kit.Fake.Requests.Count);
        Assert.Equal(CreativeVariantOrigins.Template, result.Source);
        Assert.Equal(4, result.Variants.Count);
        Assert.All(result.Variants, v => Assert.Equal(CreativeVariantOrigins.Template, v.Origin));
        Assert.Contains(result.Notices, n => n.Contains("not in the expected format", StringComparison.Ordinal) && n.Contains("templates", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_provider_falls_back_to_templates_with_a_notice()
    {
        var (kit, storeId) = await StartAsync();
        await using var _ = kit;
        kit.Fake.Fallback = _ => FakeLlmReply.ServerError(500);

        var result = await GenerateAsync(kit, storeId, new GenerationRequest("Trail Socks", CreativeAngles.Benefit, CreativeFormats.Image, 2, null), BrandProfile.Empty);

        Assert.Equal(CreativeVariantOrigins.Template, result.Source);
        Assert.Equal(2, result.Variants.Count);
        Assert.Contains(result.Notices, n => n.StartsWith("The LLM could not be reached", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{}", 422, "invalid_generation", "product")]
    [InlineData("{\"product\": \"Socks\", \"angle\": \"fear\", \"count\": 3}", 422, "invalid_generation", "angle")]
    [InlineData("{\"product\": \"Socks\", \"angle\": \"benefit\", \"count\": 11}", 422, "invalid_generation", "count")]
    [InlineData("{\"product\": \"Socks\", \"angle\": \"benefit\", \"count\": 0}", 422, "invalid_generation", "count")]
    [InlineData("{\"product\": \"Socks\", \"angle\": \"benefit\", \"format\": \"gif\", \"count\": 2}", 422, "invalid_generation", "format")]
    [InlineData("{\"product\": \"Socks\", \"angle\": \"benefit\", \"count\": 2, \"link\": \"javascript:alert(1)\"}", 422, "invalid_generation", "link")]
    [InlineData("{\"product\": \"Socks\", \"angle\": \"benefit\", \"count\": \"three\"}", 400, "bad_request", null)]
    [InlineData("null", 400, "bad_request", null)]
    public async Task A_bad_generation_request_answers_a_clear_error(string body, int status, string code, string? field)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);

        using var response = await store.Api.PostAsync("/api/creatives/generate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (field is not null)
        {
            Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
        }
    }

    private async Task<(LlmTestKit Kit, long StoreId)> StartAsync()
    {
        var server = await FakeServer.StartAsync();
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);
        return (new LlmTestKit(server, LlmOptions.OpenAi), store.StoreId);
    }

    private Task<GenerationResult> GenerateAsync(LlmTestKit kit, long storeId, GenerationRequest request, BrandProfile brand) =>
        kit.WithAsync<AiCopyWriter, GenerationResult>(fixture.SqliteApp, storeId,
            (writer, services) => ActivatorUtilities.CreateInstance<VariantGenerator>(services, writer).GenerateAsync(request, brand, CancellationToken.None));

    private static JsonObject Reply(params (string Primary, string Headline, string Description)[] variants) => new()
    {
        ["variants"] = new JsonArray([.. variants.Select(v => (JsonNode)new JsonObject
        {
            ["primaryText"] = v.Primary, ["headline"] = v.Headline, ["description"] = v.Description, ["callToAction"] = "SHOP_NOW",
        })]),
    };

    internal static async Task<JsonElement> GenerateAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/creatives/generate", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json.GetProperty("data");
    }
}
