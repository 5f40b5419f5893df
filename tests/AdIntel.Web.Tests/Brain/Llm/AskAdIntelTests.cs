using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdIntel.Fakes;
using AdIntel.Fakes.Llm;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Brain.Llm.Ask;
using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Ask;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Brain.Llm;

/// <summary>Ask AdIntel's tool-calling round trips on the demo store, against both providers' fakes.</summary>
[Collection(AppCollection.Name)]
public sealed class AskAdIntelTests(AppFixture fixture)
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<(LlmTestKit Kit, long StoreId, DateOnly Today)> StartAsync(string provider, long? storeId = null)
    {
        var server = await FakeServer.StartAsync();
        var app = fixture.SqliteApp;
        var store = storeId ?? app.DemoStoreId;
        var today = await app.WithServiceAsync<StoreClock, DateOnly>(store, c => c.GetTodayAsync(CancellationToken.None));
        return (new LlmTestKit(server, provider), store, today);
    }

    private Task<AskAnswer> AskAsync(LlmTestKit kit, long storeId, string question) =>
        kit.WithAsync<AskAdIntel, AskAnswer>(fixture.SqliteApp, storeId,
            (ask, services) => ask.AskAsync(question, services.GetRequiredService<AskTools>().All(), CancellationToken.None));

    private static FakeToolCall Call(string name, object arguments) => new(name, JsonSerializer.SerializeToNode(arguments)!.AsObject());

    private static JsonObject Result(FakeLlmRequest request, int index) => JsonNode.Parse(request.ToolResults[index].Content)!.AsObject();

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task A_question_is_answered_from_tool_calls_and_the_answer_lists_the_calls_and_figures_it_used(string provider)
    {
        var (kit, storeId, today) = await StartAsync(provider);
        await using var _ = kit;
        var (from, to) = (Day(today.AddDays(-7)), Day(today.AddDays(-1)));
        decimal mer = 0, roas = 0;
        string leader = "";
        kit.Fake.Enqueue(request =>
        {
            Assert.Equal(["get_kpis", "rank_campaigns", "get_daily_series", "get_rule_outcomes"], request.ToolNames.ToArray());
            Assert.Contains($"Today is {Day(today)}", request.System, StringComparison.Ordinal);
            return FakeLlmReply.ToolCalls(Call("get_kpis", new { from, to }), Call("rank_campaigns", new { from, to, metric = "roas", limit = 3 }));
        });
        kit.Fake.Enqueue(request =>
        {
            var kpis = Result(request, 0);
            mer = kpis["kpis"]!["mer"]!.GetValue<decimal>();
            var best = Result(request, 1)["campaigns"]![0]!;
            leader = best["name"]!.GetValue<string>();
            roas = best["roas"]!.GetValue<decimal>();
            return FakeLlmReply.Text(string.Create(CultureInfo.InvariantCulture,
                $"MER was {mer:0.00} last week.\n\n{leader} led the account with a ROAS of {roas:0.0}x, so keep funding it."));
        });

        var answer = await AskAsync(kit, storeId, "Why did MER drop last week?");

        Assert.Equal(AskOutcome.Answered, answer.Outcome);
        Assert.Contains(leader, answer.Text, StringComparison.Ordinal);
        Assert.Equal(["get_kpis", "rank_campaigns"], answer.ToolCalls.Select(c => c.Name).ToArray());
        Assert.Contains($"\"from\":\"{from}\"", answer.ToolCalls[0].Arguments, StringComparison.Ordinal);
        Assert.Contains(new AskFigure("get_kpis", "kpis.mer", mer), answer.Figures);
        Assert.Contains(new AskFigure("rank_campaigns", $"campaigns[{leader}].roas", roas), answer.Figures);
        Assert.Equal(2, kit.Fake.Requests.Count);
        Assert.Equal("Why did MER drop last week?", kit.Fake.Requests[1].UserTexts.Single());
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task Every_tool_reads_the_store_through_the_products_queries(string provider)
    {
        var (kit, storeId, today) = await StartAsync(provider);
        await using var _ = kit;
        var (from, to) = (Day(today.AddDays(-7)), Day(today.AddDays(-1)));
        var (campaignId, campaignName) = await fixture.SqliteApp.WithDbAsync(storeId, db =>
            db.Campaigns.OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).FirstAsync().ContinueWith(t => (t.Result.Id, t.Result.Name)));
        var range = new DateRange(today.AddDays(-7), today.AddDays(-1));
        var expectedSpend = await fixture.SqliteApp.WithServiceAsync<MetricsService, KpiSet>(storeId, m => m.GetKpisAsync(range, CancellationToken.None));
        kit.Fake.Enqueue(FakeLlmReply.ToolCalls(
            Call("get_daily_series", new { entityType = "campaign", entityId = campaignId, from, to }),
            Call("get_daily_series", new { entityType = "store", from, to }),
            Call("get_rule_outcomes", new { from, to }),
            Call("get_kpis", new { from = "last week", to })));
        JsonObject[] results = [];
        kit.Fake.Enqueue(request =>
        {
            results = [.. Enumerable.Range(0, 4).Select(i => Result(request, i))];
            return FakeLlmReply.Text("Nothing unusual happened.");
        });

        var answer = await AskAsync(kit, storeId, "What happened last week?");

        Assert.Equal(AskOutcome.Answered, answer.Outcome);
        var (campaign, store, rules, badDates) = (results[0], results[1], results[2], results[3]);
        Assert.Equal(campaignName, campaign["name"]!.GetValue<string>());
        Assert.Equal(7, campaign["days"]!.AsArray().Count);
        Assert.Equal(7, store["days"]!.AsArray().Count);
        Assert.Equal(Math.Round(expectedSpend.AdSpend, 2), store["days"]!.AsArray().Sum(d => d!["adSpend"]!.GetValue<decimal>()));
        Assert.NotNull(rules["rules"]);
        Assert.Contains("YYYY-MM-DD", badDates["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_only_see_the_current_store()
    {
        var other = await fixture.SqliteApp.CreateStoreAsync();
        var demoCampaign = await fixture.SqliteApp.WithDbAsync(fixture.SqliteApp.DemoStoreId, db => db.Campaigns.Select(c => c.Id).FirstAsync());
        var (kit, storeId, today) = await StartAsync(LlmOptions.OpenAi, other.StoreId);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.ToolCalls(Call("get_daily_series",
            new { entityType = "campaign", entityId = demoCampaign, from = Day(today.AddDays(-7)), to = Day(today.AddDays(-1)) })));
        string toolResult = "";
        kit.Fake.Enqueue(request => { toolResult = request.ToolResults.Single().Content; return FakeLlmReply.Text("I found no such campaign."); });

        var answer = await AskAsync(kit, storeId, "How is that campaign doing?");

        Assert.Equal(AskOutcome.Answered, answer.Outcome);
        Assert.Contains($"No campaign with id {demoCampaign} in this store", toolResult, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LlmTestKit.Providers), MemberType = typeof(LlmTestKit))]
    public async Task An_answer_with_a_number_no_tool_returned_is_withheld(string provider)
    {
        var (kit, storeId, today) = await StartAsync(provider);
        await using var _ = kit;
        kit.Fake.Enqueue(FakeLlmReply.ToolCalls(Call("get_kpis", new { from = Day(today.AddDays(-7)), to = Day(today.AddDays(-1)) })),
            FakeLlmReply.Text("MER dropped because spend rose to $98,765,432.10."));

        var answer = await AskAsync(kit, storeId, "Why did MER drop last week?");

        Assert.Equal(AskOutcome.Withheld, answer.Outcome);
        Assert.Null(answer.Text);
        Assert.Equal(1, answer.UnverifiedNumbers);
        Assert.Equal("get_kpis", Assert.Single(answer.ToolCalls).Name);
    }

    [Fact]
    public async Task An_exhausted_budget_asks_nothing()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        var (kit, storeId, today) = await StartAsync(LlmOptions.Anthropic, store.StoreId);
        await using var _ = kit;
        await fixture.SqliteApp.WithDbAsync(storeId, async db =>
        {
            db.LlmUsage.Add(new LlmUsage { Month = new DateOnly(today.Year, today.Month, 1), InputTokens = 2_000_000, UpdatedAtUtc = PinnedDate.UtcNow });
            await db.SaveChangesAsync();
        });

        var answer = await AskAsync(kit, storeId, "How are we doing?");

        Assert.Equal(AskOutcome.BudgetExhausted, answer.Outcome);
        Assert.Empty(kit.Fake.Requests);
    }
}
