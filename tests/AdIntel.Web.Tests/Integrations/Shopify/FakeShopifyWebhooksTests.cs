using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Integrations.Shopify;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>The fake Shopify's webhook sender and its HTTP trigger, seen from a receiver on a real port.</summary>
public sealed class FakeShopifyWebhooksTests
{
    private sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body);

    [Fact]
    public async Task Trigger_delivers_a_signed_webhook_of_the_shops_own_data_and_retries_a_failure_with_the_same_ids()
    {
        const string shop = "trigger-test.myshopify.com";
        var now = DateTimeOffset.UtcNow;
        await using var fake = await FakeServer.StartAsync();
        var catalog = fake.Shopify.Admin.Seed(shop, FakeShopifyCatalog.Generate(seed: 7, orders: 5, until: now));
        var received = new ConcurrentQueue<Received>();
        await using var receiver = await StartReceiverAsync(received, failFirst: 1);

        using var http = new HttpClient();
        using var trigger = await http.PostAsync($"{fake.MetaBaseUrl}/fake/shopify/webhooks?topic=orders/create&shop={shop}&target={Uri.EscapeDataString(receiver.Url)}", null);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);

        await Eventually.HoldsAsync(() => Task.FromResult(received.Count >= 2), "the webhook and its retry arrive", describe: () => $"{received.Count} received");
        var deliveries = received.ToArray();
        Assert.Equal(2, deliveries.Length);
        var (first, retry) = (deliveries[0], deliveries[1]);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(first.Headers["X-Shopify-Webhook-Id"], retry.Headers["X-Shopify-Webhook-Id"]);
        Assert.Equal(first.Headers["X-Shopify-Event-Id"], retry.Headers["X-Shopify-Event-Id"]);
        Assert.Equal("orders/create", retry.Headers["X-Shopify-Topic"]);
        Assert.Equal(shop, retry.Headers["X-Shopify-Shop-Domain"]);
        Assert.Matches(@"^\d{4}-\d{2}$", retry.Headers["X-Shopify-API-Version"]);
        Assert.True(DateTimeOffset.TryParse(retry.Headers["X-Shopify-Triggered-At"], System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.True(ShopifySignatures.IsValidWebhook(retry.Body, retry.Headers["X-Shopify-Hmac-Sha256"], fake.Shopify.ClientSecret));

        // The order is the shop's new order in the fake's Admin API too, in Shopify's REST shape.
        using var order = JsonDocument.Parse(retry.Body);
        var id = order.RootElement.GetProperty("id").GetInt64();
        Assert.Equal(6, catalog.Orders.Count);
        Assert.Equal(catalog.Orders[^1].Id, id);
        Assert.Equal(JsonValueKind.String, order.RootElement.GetProperty("total_price").ValueKind);
        Assert.Equal(1, order.RootElement.GetProperty("line_items").GetArrayLength());
    }

    [Fact]
    public async Task Sender_gives_up_after_its_retries_and_sends_duplicates_with_one_event_id()
    {
        await using var fake = await FakeServer.StartAsync();
        var received = new ConcurrentQueue<Received>();
        await using var receiver = await StartReceiverAsync(received, failFirst: int.MaxValue);
        var sender = new FakeShopifyWebhooks(fake.Shopify, new HttpClient())
        {
            RetryDelays = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)],
            DuplicateDeliveries = 1,
        };

        var sent = await sender.SendAsync(new Uri(receiver.Url), "shop/redact", "gone.myshopify.com", FakeShopifyPayloads.ShopRedact(1, "gone.myshopify.com"));

        Assert.False(sent.Delivered);
        Assert.Equal(2, sent.Deliveries.Count);
        Assert.All(sent.Deliveries, d => Assert.Equal(3, d.Attempts.Count));
        Assert.Equal(6, received.Count);
        Assert.Single(received.Select(r => r.Headers["X-Shopify-Event-Id"]).Distinct());
        Assert.Equal(2, received.Select(r => r.Headers["X-Shopify-Webhook-Id"]).Distinct().Count());
    }

    private sealed class Receiver(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url => url;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A webhook endpoint on 127.0.0.1 that records each request and answers 500 to the first <paramref name="failFirst"/>.</summary>
    private static async Task<Receiver> StartReceiverAsync(ConcurrentQueue<Received> received, int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var calls = 0;
        app.MapPost("/webhooks", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue(new Received(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            return Interlocked.Increment(ref calls) <= failFirst ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Receiver(app, address + "/webhooks");
    }
}
