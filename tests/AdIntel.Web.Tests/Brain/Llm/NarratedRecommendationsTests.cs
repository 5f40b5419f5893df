using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdIntel.Fakes;
using AdIntel.Fakes.Llm;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Recommendations;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Brain.Llm;

/// <summary>
/// The overview's recommendations in plain language with a (fake) LLM configured: the page shows the engine's text at
/// once and asks for the rewrite after; a rewrite whose numbers are the recommendation's figures replaces the words, one
/// that invents a number is dropped, the LLM's own additions cite given figures and carry no action, and an action still
/// only reaches the approval queue.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NarratedRecommendationsTests(AppFixture fixture)
{
    [Fact]
    public async Task With_a_fake_llm_the_overview_text_is_enriched_invented_numbers_are_dropped_and_actions_still_wait_for_approval()
    {
        await using var server = await FakeServer.StartAsync();
        server.OpenAi.Fallback = request => request.ResponseSchema is null ? FakeLlmReply.ServerError(500) : Rewrite(request);
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai",
            ["Llm:BaseUrl"] = server.OpenAiBaseUrl,
            ["Llm:Model"] = "gpt-test",
            ["Llm:ApiKey"] = server.OpenAi.ApiKey,
        });
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(local.App);
        await store.ComputeAsync();
        var owner = await local.CreateMemberAsync(store.StoreId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);
        var (pause, scale) = ($"pause:ad:{loserAd}", $"scale:ad_set:{winners}");

        // The page does not wait for the LLM: the engine's text, and a request for the plain-language panel.
        var page = await browser.Client.GetStringAsync("/");
        Assert.Contains("data-testid=\"narration-status\"", page, StringComparison.Ordinal);
        Assert.Contains("hx-get=\"/?handler=Narrated\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Stop paying for the Losing static ad", page, StringComparison.Ordinal);
        Assert.Empty(server.OpenAi.Requests);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/?handler=Narrated");
        request.Headers.Add("HX-Request", "true");
        using var response = await browser.Client.SendAsync(request);
        var panel = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", panel, StringComparison.Ordinal);
        Assert.DoesNotContain("narration-status", panel, StringComparison.Ordinal);
        Assert.Contains("Rewritten in plain language by AI; every number is checked against AdIntel&#x27;s figures.", panel, StringComparison.Ordinal);
        // The pause's rewrite states its own figure: shown, with the engine's reasoning still under "Why".
        var pauseItem = Item(panel, pause);
        Assert.Contains("data-by-ai=\"true\"", pauseItem, StringComparison.Ordinal);
        Assert.Contains("Stop paying for the Losing static ad", pauseItem, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"plain-reasoning\"", pauseItem, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reasoning\"", pauseItem, StringComparison.Ordinal);
        // The scale's rewrite invents $98,765: dropped, the engine's words stay.
        var scaleItem = Item(panel, scale);
        Assert.Contains("data-by-ai=\"false\"", scaleItem, StringComparison.Ordinal);
        Assert.DoesNotContain("98,765", panel, StringComparison.Ordinal);
        // The LLM's own observation cites a given figure and offers no button.
        var added = panel[panel.IndexOf("data-testid=\"ai-added\"", StringComparison.Ordinal)..];
        Assert.Contains("Watch the losing ad set", added, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", added[..added.IndexOf("</li>", StringComparison.Ordinal)], StringComparison.Ordinal);

        // The API gives the same words on request; a second ask within ten minutes is answered from the cache.
        var items = (await store.GetDataAsync("/api/overview/recommendations?narrate=true")).EnumerateArray()
            .ToDictionary(i => i.GetProperty("key").GetString()!);
        Assert.True(items[pause].GetProperty("plainLanguage").GetProperty("byAi").GetBoolean());
        Assert.StartsWith("Stop paying for the Losing static ad", items[pause].GetProperty("plainLanguage").GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.False(items[scale].GetProperty("plainLanguage").GetProperty("byAi").GetBoolean());
        Assert.Equal(items[scale].GetProperty("title").GetString(), items[scale].GetProperty("plainLanguage").GetProperty("title").GetString());
        Assert.False((await store.GetDataAsync("/api/overview/recommendations")).EnumerateArray().First().TryGetProperty("plainLanguage", out _));
        Assert.Single(server.OpenAi.Requests);

        // Words changed, the action did not: sending it queues it, and nothing runs before a person approves.
        using var sent = await store.Api.PostAsync($"/api/overview/recommendations/{pause}/approval", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var actions = await local.App.WithDbAsync(store.StoreId, db => db.ActionRecords.AsNoTracking().ToListAsync());
        var action = Assert.Single(actions);
        Assert.Equal((ActionStatuses.PendingApproval, "recommendation", loserAd), (action.Status, action.Source, action.EntityId));
        Assert.Equal(EntityStatus.Active, await local.App.WithDbAsync(store.StoreId, db => db.Ads.Where(a => a.Id == loserAd).Select(a => a.Status).SingleAsync()));
    }

    /// <summary>The fake model: rewrites the pause stating its first figure, the scale inventing a number, and adds one observation.</summary>
    private static FakeLlmReply Rewrite(FakeLlmRequest request)
    {
        var text = request.UserTexts[^1];
        var given = JsonNode.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..])!["recommendations"]!.AsArray();
        var rewritten = new JsonArray();
        string? firstFigureId = null;
        foreach (var recommendation in given)
        {
            var key = recommendation!["key"]!.GetValue<string>();
            var figure = recommendation["figures"]!.AsArray()[0]!;
            if (key.StartsWith("pause:", StringComparison.Ordinal))
            {
                firstFigureId = figure["id"]!.GetValue<string>();
                var value = figure["value"]!.GetValue<decimal>();
                rewritten.Add(new JsonObject
                {
                    ["key"] = key,
                    ["title"] = "Stop paying for the Losing static ad",
                    ["reasoning"] = $"Its {figure["name"]} came to {value.ToString("#,##0.##", CultureInfo.InvariantCulture)} without one sale.",
                });
            }
            else if (key.StartsWith("scale:", StringComparison.Ordinal))
            {
                rewritten.Add(new JsonObject { ["key"] = key, ["title"] = "Give Winners more", ["reasoning"] = "It would make $98,765 more." });
            }
        }
        return FakeLlmReply.Json(new JsonObject
        {
            ["recommendations"] = rewritten,
            ["added"] = new JsonArray(new JsonObject
            {
                ["title"] = "Watch the losing ad set",
                ["reasoning"] = "Its ad sells nothing yet; see how it does once paused.",
                ["figureIds"] = new JsonArray(firstFigureId),
            }),
        });
    }

    private static string Item(string panel, string key)
    {
        var start = panel.IndexOf($"data-key=\"{key}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No recommendation {key} in the panel");
        return panel[panel.LastIndexOf("<li", start, StringComparison.Ordinal)..panel.IndexOf("</li>", start, StringComparison.Ordinal)];
    }
}
