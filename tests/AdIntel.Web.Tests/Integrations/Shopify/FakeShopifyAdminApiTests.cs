using System.Net;
using System.Text;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Fakes.Shopify;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>
/// The fake GraphQL Admin API speaks Shopify's protocol (docs/integrations.md#graphql-admin-api): the sync's tests mean something only if
/// the fake refuses, throttles, pages and flattens as Shopify does.
/// </summary>
public sealed class FakeShopifyAdminApiTests
{
    private const string Shop = "protocol-shop.myshopify.com";

    private static async Task<(FakeServer Server, string Token, FakeShopifyCatalog Catalog)> StartAsync(int orders = 40, string? token = null)
    {
        var server = await FakeServer.StartAsync();
        var catalog = server.Shopify.Admin.Seed(Shop, FakeShopifyCatalog.Generate(3, orders, DateTimeOffset.UtcNow.AddHours(-1)));
        token ??= "shpat_protocol";
        server.Shopify.AccessTokens[token] = new FakeShopifyToken(Shop, DateTimeOffset.UtcNow.AddHours(1));
        return (server, token, catalog);
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Body, HttpResponseMessage Response)> PostAsync(FakeServer server, string? token, string query,
        object? variables = null, string version = "2026-07")
    {
        using var http = new HttpClient();
        var url = server.ShopifyShopUrlTemplate.Replace("{shop}", Shop, StringComparison.Ordinal) + $"/admin/api/{version}/graphql.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Add("X-Shopify-Access-Token", token);
        }
        var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()), response);
    }

    [Fact]
    public async Task Calls_without_a_valid_token_get_Shopifys_401_text_error()
    {
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        server.Shopify.AccessTokens["shpat_expired"] = new FakeShopifyToken(Shop, DateTimeOffset.UtcNow.AddSeconds(-1));

        foreach (var token in new[] { null, "shpat_unknown", "shpat_expired" })
        {
            var (status, body, _) = await PostAsync(server, token, "{ shop { name } }");
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("[API] Invalid API key or access token (unrecognized login or wrong password)", body.RootElement.GetProperty("errors").GetString());
        }
    }

    [Fact]
    public async Task Pages_follow_cursors_over_every_order_once_with_money_as_strings_and_the_cost_extension()
    {
        var (server, token, catalog) = await StartAsync(orders: 23);
        await using var _server = server;
        var seen = new List<string>();
        string? after = null;
        do
        {
            var (status, body, response) = await PostAsync(server, token,
                "query O($first: Int!, $after: String) { orders(first: $first, after: $after, sortKey: UPDATED_AT) { pageInfo { hasNextPage endCursor } nodes { id totalPriceSet { shopMoney { amount currencyCode } } customer { numberOfOrders } } } }",
                new { first = 10, after });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("2026-07", response.Headers.GetValues("X-Shopify-API-Version").Single());
            var orders = body.RootElement.GetProperty("data").GetProperty("orders");
            foreach (var node in orders.GetProperty("nodes").EnumerateArray())
            {
                seen.Add(node.GetProperty("id").GetString()!);
                Assert.Equal(JsonValueKind.String, node.GetProperty("totalPriceSet").GetProperty("shopMoney").GetProperty("amount").ValueKind);
                if (node.GetProperty("customer").ValueKind == JsonValueKind.Object)
                {
                    Assert.Equal(JsonValueKind.String, node.GetProperty("customer").GetProperty("numberOfOrders").ValueKind);
                }
                Assert.Equal(3, node.EnumerateObject().Count());
            }
            var cost = body.RootElement.GetProperty("extensions").GetProperty("cost");
            Assert.Equal(2 + 10 * (1 + 2 + 1), cost.GetProperty("requestedQueryCost").GetInt32());
            Assert.Equal(2000.0, cost.GetProperty("throttleStatus").GetProperty("maximumAvailable").GetDouble());
            Assert.Equal(100.0, cost.GetProperty("throttleStatus").GetProperty("restoreRate").GetDouble());
            after = orders.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? orders.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        }
        while (after is not null);

        Assert.Equal(catalog.Orders.Select(o => "gid://shopify/Order/" + o.Id).Order(), seen.Order());
    }

    [Fact]
    public async Task Unknown_fields_costly_queries_and_empty_buckets_get_Shopifys_graphql_errors()
    {
        var (server, token, _) = await StartAsync();
        await using var _server = server;
        server.Shopify.Admin.BucketMaximum = 900;
        server.Shopify.Admin.RestoreRate = 1;

        var unknown = (await PostAsync(server, token, "{ orders(first: 1) { nodes { id landingSite } } }")).Body.RootElement.GetProperty("errors")[0];
        Assert.Equal("undefinedField", unknown.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("landingSite", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);

        var tooCostly = (await PostAsync(server, token, "{ orders(first: 250) { nodes { id lineItems(first: 50) { nodes { id } } } } }")).Body.RootElement;
        Assert.Equal("MAX_COST_EXCEEDED", tooCostly.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var query = "{ orders(first: 150) { nodes { id lineItems(first: 2) { nodes { id } } } } }";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(server, token, query)).Status);
        var (status, throttled, _) = await PostAsync(server, token, query);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(throttled.RootElement.TryGetProperty("data", out _));
        Assert.Equal("THROTTLED", throttled.RootElement.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var cost = throttled.RootElement.GetProperty("extensions").GetProperty("cost");
        Assert.Equal(JsonValueKind.Null, cost.GetProperty("actualQueryCost").ValueKind);
        Assert.True(cost.GetProperty("throttleStatus").GetProperty("currentlyAvailable").GetInt32() < 752);
        Assert.Equal(1, server.Shopify.Admin.ThrottledCalls);
    }

    [Fact]
    public async Task Bulk_results_flatten_nested_connections_into_rows_with_parent_ids_and_old_versions_run_one_at_a_time()
    {
        var (server, token, catalog) = await StartAsync(orders: 12);
        await using var _server = server;
        server.Shopify.Admin.BulkPollsUntilDone = 1;
        const string run = "mutation R($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }";
        const string bulkQuery = "{ orders { edges { node { id lineItems { edges { node { id quantity } } } } } } }";

        var started = (await PostAsync(server, token, run, new { q = bulkQuery }, version: "2025-10")).Body.RootElement.GetProperty("data").GetProperty("bulkOperationRunQuery");
        var id = started.GetProperty("bulkOperation").GetProperty("id").GetString()!;
        Assert.Equal("CREATED", started.GetProperty("bulkOperation").GetProperty("status").GetString());
        var second = (await PostAsync(server, token, run, new { q = bulkQuery }, version: "2025-10")).Body.RootElement.GetProperty("data").GetProperty("bulkOperationRunQuery");
        Assert.Equal(JsonValueKind.Null, second.GetProperty("bulkOperation").ValueKind);
        Assert.Equal("OPERATION_IN_PROGRESS", second.GetProperty("userErrors")[0].GetProperty("code").GetString());

        var operation = default(JsonElement);
        await Eventually.HoldsAsync(async () =>
        {
            operation = (await PostAsync(server, token, "query P($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount url } } }", new { id }))
                .Body.RootElement.GetProperty("data").GetProperty("node");
            return operation.GetProperty("status").GetString() == "COMPLETED";
        }, "the operation completes", describe: () => operation.ToString());

        Assert.Equal("12", operation.GetProperty("rootObjectCount").GetString());
        using var http = new HttpClient();
        var rows = (await http.GetStringAsync(operation.GetProperty("url").GetString())).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(12 + catalog.Orders.Sum(o => o.Lines.Count), rows.Count);
        Assert.Equal(catalog.Orders.Sum(o => o.Lines.Count), rows.Count(r => r.TryGetProperty("__parentId", out _)));
        var firstOrder = catalog.Orders[0];
        Assert.Equal(firstOrder.Lines.Select(l => "gid://shopify/LineItem/" + l.Id),
            rows.Where(r => r.TryGetProperty("__parentId", out var parent) && parent.GetString() == "gid://shopify/Order/" + firstOrder.Id)
                .Select(r => r.GetProperty("id").GetString()));
        Assert.All(rows.Where(r => !r.TryGetProperty("__parentId", out _)), r => Assert.False(r.TryGetProperty("lineItems", out _)));
    }
}
