using System.Diagnostics;
using System.Text.Json.Nodes;
using AdIntel.Fakes;
using AdIntel.Fakes.Llm;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Domain;
using Microsoft.Extensions.Time.Testing;

namespace AdIntel.Web.Tests.Brain.Llm;

/// <summary>The recommendation narrator against local fakes of OpenAI's and Anthropic's APIs over real HTTP.</summary>
[Collection(AppCollection.Name)]
public sealed class RecommendationNarratorTests(AppFixture fixture)
{
    private static readonly NarrationInput[] Inputs =
    [
        new("pause:campaign:11", "pause", "Pause Prospecting Broad",
            "ROAS was 0.82 over the last 7 days on $1,234.56 of spend, under the floor.",
            [new("Spend", 1234.56m, "USD", "last 7 days"), new("ROAS", 0.8214m, "x", "last 7 days")]),
        new("scale:campaign:12", "scale", "Scale Retargeting",
            "ROAS was 4.12 over the last 7 days with a CTR of 2.15%.",
            [new("ROAS", 4.1234m, "x", "last 7 days"), new("CTR", 0.0215m, "%", "last 7 days")]),
    ];

    private static JsonObject Reply(string pauseReasoning = "It spent $1,235 in the last 7 days and earned back only 0.82x: every dollar loses money.",
        JsonArray? added = null) => new()
    {
        ["recommendations"] = new JsonArray(
            new JsonObject { ["key"] = "pause:campaign:11", ["title"] = "Pause Prospecting Broad today", ["reasoning"] = pauseReasoning },
            new JsonObject { ["key"] = "scale:campaign:12", ["title"] = "Give Retargeting more budget", ["reasoning"] = "A 4.1x ROAS and a 2.2% CTR say it can take more spend." }),
        ["added"] = added ?? [],
    };

    /// <summary>A schema's types, properties, required lists and closedness, without limits and descriptions.</summary>
    private static JsonNode? Structure(JsonNode? schema)
    {
        if (schema is JsonObject node)
        {
            var result = new JsonObject();
            foreach (var (key, value) in node)
            {
                if (key is not ("description" or "minLength" or "maxLength" or "minItems" or "maxItems"))
                {
                    result[key] = Structure(value);
                }
            }
            return result;
        }
        return schema?.DeepClone();
    }

    private async Task<(LlmTestKit Kit, long StoreId)> StartAsync(string provider, Action<LlmOptions>? configure = null)
    {
        var server = await FakeServer.StartAsync();
        var store = await fixture.SqliteApp.CreateStoreAsync();
        return (new LlmTestKit(server, provider, configure), store.StoreId);
    }

    private Task<NarrationResult> NarrateAsync(LlmTestKit kit, long storeId, IReadOnlyList<NarrationInput>? inputs = null, params object[] extra) =>
        kit.WithAsync<RecommendationNarrator, NarrationResult>(fixture.SqliteApp, storeId, (n, _) => n.NarrateAsync(inputs ?? Inputs, CancellationToken.None), extra);

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task The_llm_rewrites_each_recommendation_and_may_add_one_citing_given_figures(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.Json(Reply(added: [new JsonObject
        {
            ["title"] = "Refresh Retargeting's creative before it tires",
            ["reasoning"] = "A CTR of 2.15% is healthy now; keep new ads ready.",
            ["figureIds"] = new JsonArray("f4"),
        }])));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationSource.Llm, result.Source);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(["Pause Prospecting Broad today", "Give Retargeting more budget"], result.Recommendations.Select(r => r.Title).ToArray());
        Assert.All(result.Recommendations, r => Assert.True(r.ByLlm));
        var added = Assert.Single(result.Added);
        Assert.Equal(new NarrationFigure("CTR", 0.0215m, "%", "last 7 days"), Assert.Single(added.Figures));

        var request = Assert.Single(kit.Fake.Requests);
        Assert.Equal(LlmTestKit.Model, request.Model);
        Assert.Equal(LlmPrompts.Text(LlmPrompts.MediaBuyer), request.System);
        Assert.Contains("\"key\":\"pause:campaign:11\"", request.UserTexts.Single(), StringComparison.Ordinal);
        Assert.Contains("\"id\":\"f4\"", request.UserTexts.Single(), StringComparison.Ordinal);
        // The provider was asked for the schema the answer is checked against. Their strict modes turn length and count
        // limits into descriptions, which is why AdIntel checks those itself.
        Assert.NotNull(request.ResponseSchema);
        Assert.True(JsonNode.DeepEquals(Structure(JsonNode.Parse(LlmPrompts.Schema(LlmPrompts.NarrationSchema).GetRawText())), Structure(request.ResponseSchema)),
            request.ResponseSchema.ToJsonString());
        if (provider == LlmOptions.OpenAi)
        {
            // Strict structured output: the fake refuses a schema strict mode would refuse.
            Assert.True(request.Body["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
            Assert.False(request.Body.ContainsKey("strict"), "OpenAI refuses unknown request arguments");
        }
        else
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", request.Headers["anthropic-version"]);
        }
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task A_rewrite_or_addition_stating_an_invented_number_is_dropped_and_the_rules_text_stays(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.Json(Reply(
            pauseReasoning: "It spent $1,235 and pausing it would save about $5,300 a month.",
            added:
            [
                new JsonObject { ["title"] = "Raise Retargeting by 30%", ["reasoning"] = "ROAS of 4.1x supports it.", ["figureIds"] = new JsonArray("f3") },
                new JsonObject { ["title"] = "Watch the CTR", ["reasoning"] = "CTR is 2.15%.", ["figureIds"] = new JsonArray("f99") },
            ])));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationSource.Llm, result.Source);
        Assert.Equal(3, result.Dropped);
        var pause = result.Recommendations[0];
        Assert.False(pause.ByLlm);
        Assert.Equal((Inputs[0].Title, Inputs[0].Reasoning), (pause.Title, pause.Reasoning));
        Assert.True(result.Recommendations[1].ByLlm);
        Assert.Empty(result.Added);
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task An_answer_off_the_schema_is_asked_for_once_more_then_the_deterministic_text_stands(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        var missingAdded = new JsonObject { ["recommendations"] = new JsonArray() };
        kit.Fake.Enqueue(FakeLlmReply.Json(missingAdded), FakeLlmReply.Text("Sure! Here are your recommendations: pause it."));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationSource.Deterministic, result.Source);
        Assert.Equal(NarrationFallback.InvalidReply, result.Fallback);
        Assert.Equal(Inputs.Select(i => i.Reasoning), result.Recommendations.Select(r => r.Reasoning));
        Assert.Equal(2, kit.Fake.Requests.Count);
        Assert.Contains("missing required property added", kit.Fake.Requests[1].UserTexts[^1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task A_second_answer_that_matches_the_schema_is_used(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        var wrongKey = Reply();
        wrongKey["recommendations"]![0]!["key"] = "pause:campaign:999";
        kit.Fake.Enqueue(FakeLlmReply.Json(wrongKey), FakeLlmReply.Text("```json\n" + Reply().ToJsonString() + "\n```"));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationSource.Llm, result.Source);
        Assert.All(result.Recommendations, r => Assert.True(r.ByLlm));
        Assert.Equal(2, kit.Fake.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task A_refusal_keeps_the_deterministic_text(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.Refusal("I can't help with that."));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationFallback.Refused, result.Fallback);
        Assert.Single(kit.Fake.Requests);
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task A_malformed_response_body_keeps_the_deterministic_text_for_a_minute(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.MalformedBody());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var result = await NarrateAsync(kit, storeId, null, time);
        var again = await NarrateAsync(kit, storeId, null, time);
        time.Advance(RecommendationNarrator.ProviderErrorCacheFor);
        kit.Fake.Enqueue(FakeLlmReply.Json(Reply()));
        var recovered = await NarrateAsync(kit, storeId, null, time);

        Assert.Equal(NarrationFallback.ProviderError, result.Fallback);
        Assert.Equal(Inputs.Select(i => i.Title), result.Recommendations.Select(r => r.Title));
        // A failed provider is not asked again on every page view, but after a minute.
        Assert.Same(result, again);
        Assert.Equal(NarrationSource.Llm, recovered.Source);
        Assert.Equal(2, kit.Fake.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task A_429_is_retried_after_the_wait_its_retry_after_names(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.RateLimited(retryAfterSeconds: 1), FakeLlmReply.Json(Reply()));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationSource.Llm, result.Source);
        var requests = kit.Fake.Requests;
        Assert.Equal(2, requests.Count);
        // The back-off alone is 20 ms: a gap of a second is the provider's retry-after.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950),
            $"retried after {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task An_overloaded_provider_is_retried_with_back_off(string provider)
    {
        var (kit, storeId) = await StartAsync(provider);
        await using var _ = kit;
        // Anthropic answers 529 overloaded_error, OpenAI 503.
        kit.Fake.Enqueue(FakeLlmReply.Overloaded(), FakeLlmReply.ServerError(500), FakeLlmReply.Json(Reply()));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationSource.Llm, result.Source);
        Assert.Equal(3, kit.Fake.Requests.Count);
    }

    [Fact]
    public async Task An_exhausted_openai_quota_is_not_retried()
    {
        var (kit, storeId) = await StartAsync(LlmOptions.OpenAi);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.InsufficientQuota(), FakeLlmReply.Json(Reply()));

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationFallback.ProviderError, result.Fallback);
        Assert.Single(kit.Fake.Requests);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_limit_is_not_waited_for()
    {
        var (kit, storeId) = await StartAsync(LlmOptions.Anthropic, o => o.MaxRetryAfter = TimeSpan.FromSeconds(5));
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.RateLimited(retryAfterSeconds: 3600), FakeLlmReply.Json(Reply()));
        var started = Stopwatch.StartNew();

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationFallback.ProviderError, result.Fallback);
        Assert.Single(kit.Fake.Requests);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Tokens_are_counted_per_store_and_month_and_an_exhausted_budget_keeps_the_deterministic_text(string database)
    {
        var app = await fixture.HostAsync(database);
        await using var kit = new LlmTestKit(await FakeServer.StartAsync(), LlmOptions.OpenAi);
        var storeId = (await app.CreateStoreAsync()).StoreId;
        Task<NarrationResult> Narrate(IReadOnlyList<NarrationInput> inputs) =>
            kit.WithAsync<RecommendationNarrator, NarrationResult>(app, storeId, (n, _) => n.NarrateAsync(inputs, CancellationToken.None));
        Task<LlmMonthUsage> Usage() => app.WithServiceAsync<LlmUsageLedger, LlmMonthUsage>(storeId, l => l.GetThisMonthAsync(CancellationToken.None));
        kit.Fake.Enqueue(FakeLlmReply.Json(Reply()) with { InputTokens = 700, OutputTokens = 300 });
        kit.Fake.Enqueue(FakeLlmReply.Json(Reply()) with { InputTokens = 70, OutputTokens = 30 });

        await Narrate(Inputs);
        await Narrate([.. Inputs.Select(i => i with { Title = i.Title + " now" })]);

        var usage = await Usage();
        Assert.Equal((1100L, 2), (usage.UsedTokens, usage.Requests));
        Assert.Equal(new DateOnly(PinnedDate.UtcNow.Year, PinnedDate.UtcNow.Month, 1), usage.Month);

        await app.WithDbAsync(storeId, async db =>
        {
            var row = db.LlmUsage.Single();
            row.InputTokens = usage.BudgetTokens;
            await db.SaveChangesAsync();
        });
        var result = await Narrate([.. Inputs.Select(i => i with { Key = i.Key + ":next" })]);

        Assert.Equal(NarrationFallback.BudgetExhausted, result.Fallback);
        Assert.Equal(2, kit.Fake.Requests.Count);
        Assert.True((await Usage()).Exhausted);
    }

    [Fact]
    public async Task The_same_input_is_answered_from_the_cache_for_ten_minutes()
    {
        var (kit, storeId) = await StartAsync(LlmOptions.Anthropic);
        await using var _ = kit;
        kit.Fake.Fallback = _ => FakeLlmReply.Json(Reply());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var first = await NarrateAsync(kit, storeId, null, time);
        time.Advance(TimeSpan.FromMinutes(9));
        var cached = await NarrateAsync(kit, storeId, null, time);
        var changed = await NarrateAsync(kit, storeId, [.. Inputs.Select(i => i with { Reasoning = i.Reasoning + " Act today." })], time);
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var expired = await NarrateAsync(kit, storeId, null, time);

        Assert.Same(first, cached);
        Assert.Equal(NarrationSource.Llm, changed.Source);
        Assert.NotSame(first, expired);
        Assert.Equal(3, kit.Fake.Requests.Count);
    }

    [Fact]
    public async Task Without_a_key_nothing_is_sent_and_the_text_is_deterministic()
    {
        var (kit, storeId) = await StartAsync(LlmOptions.OpenAi, o => o.ApiKey = "");
        await using var _ = kit;

        var result = await NarrateAsync(kit, storeId);

        Assert.Equal(NarrationFallback.NotConfigured, result.Fallback);
        Assert.Equal("AI not configured: recommendations use AdIntel's deterministic text.", result.Notice);
        Assert.Empty(kit.Fake.Requests);
    }
}
