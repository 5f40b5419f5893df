using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdIntel.Fakes;
using AdIntel.Fakes.Llm;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Tests.Security;

namespace AdIntel.Web.Tests.Brain.Llm;

/// <summary>Ask AdIntel's page and API and the AI status in Settings, with and without an LLM configured.</summary>
[Collection(AppCollection.Name)]
public sealed class LlmWebTests(AppFixture fixture)
{
    [Fact]
    public async Task Without_an_llm_ask_is_hidden_and_settings_says_recommendations_are_deterministic()
    {
        var app = fixture.SqliteApp;
        var browser = new Browser(app.CreateClient());
        var store = await app.CreateStoreAsync();

        var page = await browser.GetAsync("/ask");
        var api = await store.Api.PostAsJsonAsync("/api/ask", new { question = "Why did MER drop?" });
        var overview = await browser.Client.GetStringAsync("/");
        var settings = await browser.Client.GetStringAsync("/settings");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("not_found", (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("href=\"/ask\"", overview, StringComparison.Ordinal);
        Assert.Contains("AI: not configured — recommendations use deterministic text.", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_llm_ask_answers_on_the_page_and_the_api_usage_shows_in_settings_and_logs_hold_no_prompt_or_answer()
    {
        await using var server = await FakeServer.StartAsync();
        var logs = Path.Combine(fixture.TempDirectory, "logs-llm-" + Guid.NewGuid().ToString("N")[..8]);
        const string question = "Which zebra-striped campaign should get the quokka budget?";
        const string answerText = "Orders came to {0} in the platypus period, so hold budgets steady.";
        string? answered = null;
        server.OpenAi.Fallback = request => request.ResponseSchema is not null
            ? FakeLlmReply.Json(new JsonObject
            {
                ["recommendations"] = new JsonArray(new JsonObject
                {
                    ["key"] = "pause:campaign:1", ["title"] = "Pause the narwhal campaign", ["reasoning"] = "The narwhal campaign lost $4,321 of profit.",
                }),
                ["added"] = new JsonArray(),
            })
            : request.ToolResults.Count == 0
            ? FakeLlmReply.ToolCalls(new FakeToolCall("get_kpis", new JsonObject { ["from"] = "2026-01-01", ["to"] = "2026-01-07" }))
            : FakeLlmReply.Text(answered = string.Format(CultureInfo.InvariantCulture, answerText,
                JsonNode.Parse(request.ToolResults[0].Content)!["kpis"]!["orders"]!.GetValue<int>()));

        await using (var app = await fixture.StartAppAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Months"] = "1",
            ["Demo:Orders"] = "200",
            ["Logging:Directory"] = logs,
            ["Llm:Provider"] = "openai",
            ["Llm:BaseUrl"] = server.OpenAiBaseUrl,
            ["Llm:Model"] = "gpt-test",
            ["Llm:ApiKey"] = server.OpenAi.ApiKey,
            ["Llm:MonthlyTokenBudget"] = "50000",
        }))
        {
            var browser = new Browser(app.CreateClient());
            var store = await app.CreateStoreAsync();

            Assert.Contains("href=\"/ask\"", await browser.Client.GetStringAsync("/"), StringComparison.Ordinal);
            var page = await browser.Client.GetStringAsync("/ask");
            Assert.Contains("hx-post=\"/ask\"", page, StringComparison.Ordinal);

            using var post = new HttpRequestMessage(HttpMethod.Post, "/ask") { Content = Browser.Form(await browser.AntiforgeryTokenAsync("/ask"), ("Question", question)) };
            post.Headers.Add("HX-Request", "true");
            var fragment = await browser.Client.SendAsync(post);
            var html = await fragment.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
            Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
            Assert.Contains("data-outcome=\"answered\"", html, StringComparison.Ordinal);
            Assert.Contains("in the platypus period", html, StringComparison.Ordinal);
            Assert.Contains("<code>get_kpis</code>", html, StringComparison.Ordinal);
            Assert.Contains("kpis.orders", html, StringComparison.Ordinal);

            var api = await store.Api.PostAsJsonAsync("/api/ask", new { question });
            var data = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
            Assert.Equal("answered", data.GetProperty("outcome").GetString());
            Assert.Equal("Orders came to 0 in the platypus period, so hold budgets steady.", data.GetProperty("answer").GetString());
            Assert.Equal("get_kpis", data.GetProperty("toolCalls")[0].GetProperty("name").GetString());
            // An empty store: every KPI is 0, so each is a figure the answer's 0 may state.
            Assert.Contains("kpis.orders", data.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("name").GetString()));

            var empty = await store.Api.PostAsJsonAsync("/api/ask", new { question = "  " });
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Equal("invalid_question", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

            var narration = await app.WithServiceAsync<RecommendationNarrator, NarrationResult>(store.StoreId, n => n.NarrateAsync(
                [new NarrationInput("pause:campaign:1", "pause", "Pause the narwhal campaign", "The narwhal campaign lost money.", [new NarrationFigure("Profit", -1234m, "USD", "last 7 days")])],
                CancellationToken.None));
            Assert.Equal(1, narration.Dropped);

            // The demo store asked once: two calls of 120 + 40 tokens each.
            var settings = await browser.Client.GetStringAsync("/settings");
            Assert.Contains("AI: OpenAI-compatible server, model <code>gpt-test</code>", settings, StringComparison.Ordinal);
            Assert.Contains("320 of 50,000 tokens used", settings, StringComparison.Ordinal);
        }

        Assert.NotNull(answered);
        var text = string.Concat(Directory.GetFiles(logs, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("Ask AdIntel answered with 1 tool call(s)", text, StringComparison.Ordinal);
        Assert.Contains("Dropped the LLM rewrite of recommendation pause:campaign:1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("narwhal", text, StringComparison.Ordinal);
        Assert.DoesNotContain("zebra", text, StringComparison.Ordinal);
        Assert.DoesNotContain("platypus", text, StringComparison.Ordinal);
        Assert.DoesNotContain("media buyer", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_without_a_model_is_refused() =>
        Assert.Contains("Llm:Model is required with Llm:Provider=anthropic.",
            new LlmOptions { Provider = LlmOptions.Anthropic, ApiKey = "k" }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object()))
                .Select(r => r.ErrorMessage));
}
