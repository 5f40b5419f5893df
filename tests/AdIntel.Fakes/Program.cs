using System.Globalization;
using System.Text.Json.Nodes;
using AdIntel.Fakes.Llm;
using AdIntel.Fakes.Meta;

namespace AdIntel.Fakes;

/// <summary>
/// Runs the fakes on their own, for trying connect-and-sync by hand (README: "Trying the integrations offline"):
/// <c>dotnet run --project tests/AdIntel.Fakes -- [port=4320]</c>. (A named entry point, not top-level statements, so
/// the test project can reference both this and the app without two <c>Program</c> types.)
/// </summary>
internal static class FakesEntryPoint
{
    public static async Task Main(string[] args)
    {
        var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4320;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var meta = FakeMetaSample.Create(today.AddDays(-1));
        await using var server = await FakeServer.StartAsync(port, meta);
        Console.WriteLine($"Fake Meta Graph API on {server.MetaBaseUrl} (app id {meta.AppId}, app secret {meta.AppSecret})");
        Console.WriteLine($"Fake Shopify OAuth at {server.ShopifyShopUrlTemplate} (client id {server.Shopify.ClientId}, secret {server.Shopify.ClientSecret})");
        // Every shop that connects finds 2,000 generated orders (the same for every shop) to sync.
        server.Shopify.Admin.CatalogFactory = _ => Shopify.FakeShopifyCatalog.Generate(1, 2000, DateTimeOffset.UtcNow);
        Console.WriteLine($"Fake Shopify GraphQL Admin API at {server.ShopifyShopUrlTemplate}/admin/api/<version>/graphql.json (each shop: 2,000 generated orders)");
        Console.WriteLine($"Fire a Shopify webhook at the app: curl -X POST '{server.MetaBaseUrl}/fake/shopify/webhooks?topic=orders/create&shop=your-store.myshopify.com' (see README)");
        // The LLM fakes, tried by hand: a question gets one get_kpis call for the last 7 days and an answer without numbers;
        // a rewrite of recommendations gets a valid, empty one (the deterministic text stays).
        server.OpenAi.Fallback = server.Anthropic.Fallback = request => request.ResponseSchema is not null
            ? FakeLlmReply.Json(new JsonObject { ["recommendations"] = new JsonArray(), ["added"] = new JsonArray() })
            : request.ToolResults.Count == 0 && request.ToolNames.Contains("get_kpis")
                ? FakeLlmReply.ToolCalls(new FakeToolCall("get_kpis", new JsonObject
                {
                    ["from"] = today.AddDays(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["to"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }))
                : FakeLlmReply.Text("The fake model read the KPIs of the last seven days; a real model would explain them here.");
        Console.WriteLine($"Fake OpenAI Chat Completions at {server.OpenAiBaseUrl} and fake Anthropic Messages at {server.AnthropicBaseUrl} (key {server.OpenAi.ApiKey})");
        var slack = server.CreateSlackHook();
        var discord = server.CreateDiscordHook();
        Console.WriteLine($"Fake Slack incoming webhook {slack.Url} and fake Discord webhook {discord.Url} (run the app with Notifications__SlackWebhookBaseUrl={server.SlackWebhookBaseUrl} Notifications__DiscordWebhookBaseUrls__0={server.DiscordWebhookBaseUrl})");
        Console.WriteLine("Ctrl+C stops them.");
        await server.WaitForShutdownAsync(CancellationToken.None);
    }
}
