using System.Net;
using System.Text;
using AdIntel.Fakes.Shopify;
using Microsoft.AspNetCore.Http;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>Webhook rate limits come after the signature; oversize bodies are the client's 413, not the server's 500.</summary>
[Collection(AppCollection.Name)]
public sealed class ShopifyWebhookLimitsTests(AppFixture fixture)
{
    [Fact]
    public async Task Forged_webhooks_naming_a_shop_do_not_use_up_its_budget_for_genuine_ones()
    {
        // Budgets: 3 failed signatures per address, 30 genuine deliveries per shop (per minute).
        await using var host = await ShopifyAppHost.StartAsync(fixture, AppFixture.Sqlite,
            extraSettings: new Dictionary<string, string?> { ["Security:ApiPermitsPerMinute"] = "3" });
        var shop = ShopifyAppHost.NewShop();
        await host.ConnectedStoreAsync(shop);
        var payload = FakeShopifyPayloads.Order(ShopifyWebhookTests.NewOrder(9501));

        var forged = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            forged.Add(await SendForgedAsync(host, shop, payload, IPAddress.Parse("203.0.113.7")));
        }
        var sent = await host.SendAsync("orders/create", shop, payload);

        Assert.Equal([401, 401, 401], forged.Take(3));
        Assert.All(forged.Skip(3), status => Assert.Equal(429, status));
        Assert.True(sent.Delivered, string.Join(", ", sent.Deliveries.SelectMany(d => d.Attempts).Select(a => a.Status)));
        Assert.Equal(200, sent.Deliveries.Single().Attempts[0].Status);
        // Another address still gets its own budget (and its 401).
        Assert.Equal(401, await SendForgedAsync(host, shop, payload, IPAddress.Parse("203.0.113.8")));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_and_logged_as_one()
    {
        var logs = Path.Combine(fixture.TempDirectory, "logs-413-" + Guid.NewGuid().ToString("N")[..8]);
        HttpStatusCode status;
        await using (var app = await fixture.StartAppAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Security:MaxRequestBodyKilobytes"] = "16",
            ["Logging:Directory"] = logs,
        }, kestrel: true))
        {
            using var client = app.CreateClient();
            // A stream of unknown length goes out chunked: no Content-Length for the app to refuse up front.
            using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('x', 64 * 1024) + "\"}")));
            content.Headers.ContentType = new("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = content };
            request.Headers.TransferEncodingChunked = true;
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            using var response = await client.SendAsync(request);
            status = response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        var text = string.Concat(Directory.GetFiles(logs, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("HTTP POST /api/webhooks/shopify responded 413", text, StringComparison.Ordinal);
        Assert.DoesNotContain("responded 500", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unhandled exception", text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A delivery with a wrong signature from <paramref name="address"/>; returns the status.</summary>
    private static async Task<int> SendForgedAsync(ShopifyAppHost host, string shop, string payload, IPAddress address)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var context = await host.App.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = address;
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = "/api/webhooks/shopify";
            c.Request.ContentType = "application/json";
            c.Request.Headers["X-Shopify-Topic"] = "orders/create";
            c.Request.Headers["X-Shopify-Shop-Domain"] = shop;
            c.Request.Headers["X-Shopify-Hmac-Sha256"] = FakeShopifyWebhooks.Sign(body, "not the app secret");
            c.Request.Headers["X-Shopify-Event-Id"] = Guid.NewGuid().ToString();
            c.Request.Body = new MemoryStream(body);
            c.Request.ContentLength = body.Length;
        });
        return context.Response.StatusCode;
    }
}
