using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AdIntel.Fakes.Shopify;

/// <summary>One attempt to deliver one webhook: which delivery, when, and what the app answered (null status: timeout or no connection).</summary>
public sealed record FakeWebhookAttempt(string Topic, string WebhookId, string EventId, int Attempt, DateTimeOffset At, int? Status, string? Error);

/// <summary>The deliveries of one event (one per subscription, plus duplicates) and whether each finally got a 2xx.</summary>
public sealed record FakeWebhookEvent(string Topic, string Shop, string EventId, IReadOnlyList<FakeWebhookDelivery> Deliveries)
{
    public bool Delivered => Deliveries.All(d => d.Delivered);
}

public sealed record FakeWebhookDelivery(string WebhookId, IReadOnlyList<FakeWebhookAttempt> Attempts)
{
    public bool Delivered => Attempts.Count > 0 && Attempts[^1].Status is >= 200 and < 300;
}

/// <summary>
/// Delivers webhooks the way Shopify does: <c>POST</c> of the JSON body to the app's address
/// with <c>X-Shopify-Topic</c>, <c>X-Shopify-Hmac-Sha256</c> (base64 HMAC-SHA256 of the exact body bytes with the app's
/// client secret), <c>X-Shopify-Shop-Domain</c>, <c>X-Shopify-API-Version</c>, <c>X-Shopify-Webhook-Id</c> (the same
/// across retries of one delivery), <c>X-Shopify-Event-Id</c> (the same across every delivery of one event) and
/// <c>X-Shopify-Triggered-At</c> — or the Events format's lowercase <c>shopify-*</c> names. A non-2xx answer, a redirect
/// or no answer within <see cref="Timeout"/> (Shopify: 5 s) is a failure, retried with the same body and ids after each
/// delay of <see cref="RetryDelays"/> (Shopify: 8 retries over 4 hours with exponential back-off).
/// <see cref="DuplicateDeliveries"/> sends each event that many extra times with new webhook ids, like two
/// subscriptions to one topic.
/// </summary>
public sealed class FakeShopifyWebhooks(FakeShopifyState state, HttpClient http, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly List<FakeWebhookEvent> _sent = [];
    private readonly List<FakeWebhookAttempt> _attempts = [];

    /// <summary>Shopify's schedule in miniature: doubling delays (1 s … 128 s); tests set shorter ones.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [.. Enumerable.Range(0, 8).Select(i => TimeSpan.FromSeconds(1 << i))];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public int DuplicateDeliveries { get; set; }

    public string ApiVersion { get; set; } = "2026-07";

    /// <summary>Sends the 2026 Events format's unprefixed lowercase headers instead of <c>X-Shopify-*</c>.</summary>
    public bool EventsFormatHeaders { get; set; }

    /// <summary>Every event whose deliveries are finished (delivered or out of retries), with their attempts.</summary>
    public IReadOnlyList<FakeWebhookEvent> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Every attempt so far, as it happens (retries still running included).</summary>
    public IReadOnlyList<FakeWebhookAttempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Base64 HMAC-SHA256 of the body with the secret: <c>X-Shopify-Hmac-Sha256</c>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Delivers one event (the payload's exact text is what is signed) and returns when every delivery succeeded or ran out of retries.</summary>
    public async Task<FakeWebhookEvent> SendAsync(Uri target, string topic, string shop, string payload, CancellationToken cancellationToken = default)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var eventId = Guid.NewGuid().ToString();
        var triggeredAt = _time.GetUtcNow();
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 1 + DuplicateDeliveries)
            .Select(_ => DeliverAsync(target, topic, shop, body, eventId, triggeredAt, cancellationToken)));
        var sent = new FakeWebhookEvent(topic, shop, eventId, deliveries);
        lock (_sent)
        {
            _sent.Add(sent);
        }
        return sent;
    }

    private async Task<FakeWebhookDelivery> DeliverAsync(Uri target, string topic, string shop, byte[] body, string eventId, DateTimeOffset triggeredAt,
        CancellationToken cancellationToken)
    {
        var webhookId = Guid.NewGuid().ToString();
        var attempts = new List<FakeWebhookAttempt>();
        for (var attempt = 1; ; attempt++)
        {
            var (status, error) = await PostAsync(target, topic, shop, body, webhookId, eventId, triggeredAt, cancellationToken);
            var made = new FakeWebhookAttempt(topic, webhookId, eventId, attempt, _time.GetUtcNow(), status, error);
            attempts.Add(made);
            lock (_attempts)
            {
                _attempts.Add(made);
            }
            if (status is >= 200 and < 300 || attempt > RetryDelays.Count)
            {
                return new FakeWebhookDelivery(webhookId, attempts);
            }
            await Task.Delay(RetryDelays[attempt - 1], _time, cancellationToken);
        }
    }

    private async Task<(int? Status, string? Error)> PostAsync(Uri target, string topic, string shop, byte[] body, string webhookId, string eventId,
        DateTimeOffset triggeredAt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var prefix = EventsFormatHeaders ? "shopify-" : "X-Shopify-";
        request.Headers.Add(prefix + (EventsFormatHeaders ? "topic" : "Topic"), topic);
        request.Headers.Add(prefix + (EventsFormatHeaders ? "hmac-sha256" : "Hmac-Sha256"), Sign(body, state.ClientSecret));
        request.Headers.Add(prefix + (EventsFormatHeaders ? "shop-domain" : "Shop-Domain"), shop);
        request.Headers.Add(prefix + (EventsFormatHeaders ? "api-version" : "API-Version"), ApiVersion);
        request.Headers.Add(prefix + (EventsFormatHeaders ? "webhook-id" : "Webhook-Id"), webhookId);
        request.Headers.Add(prefix + (EventsFormatHeaders ? "event-id" : "Event-Id"), eventId);
        request.Headers.Add(prefix + (EventsFormatHeaders ? "triggered-at" : "Triggered-At"), triggeredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // Shopify treats a redirect as a failure: it is not followed.
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : response.StatusCode.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// <c>POST /fake/shopify/webhooks?topic=orders/create&amp;shop=…&amp;target=…</c> fires a webhook by hand (README,
    /// Integrations). The body, when given, is the payload sent as it is; without one a sample of the topic's shape is
    /// made from the shop's fake data (<see cref="FakeShopifyPayloads.FromShop"/>) or, for a shop without any, a standalone
    /// sample. Delivery (with retries) runs in the background; <c>GET /fake/shopify/webhooks</c> lists the attempts so far.
    /// </summary>
    public static void MapTrigger(IEndpointRouteBuilder app, FakeShopifyState state, TimeProvider time)
    {
        var sender = new FakeShopifyWebhooks(state, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }), time);
        var lifetime = app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>();
        app.MapPost("/fake/shopify/webhooks", async (HttpContext context) =>
        {
            var query = context.Request.Query;
            var topic = query["topic"].ToString();
            var shop = query["shop"].ToString();
            const string defaultTarget = "http://localhost:4310/api/webhooks/shopify";
            var target = query["target"].ToString() is { Length: > 0 } given ? given : defaultTarget;
            if (!FakeShopifyPayloads.Topics.Contains(topic) || shop.Length == 0 || !Uri.TryCreate(target, UriKind.Absolute, out var uri))
            {
                return Results.BadRequest(new { error = $"Give topic (one of {string.Join(", ", FakeShopifyPayloads.Topics)}), shop and optionally target (default {defaultTarget})." });
            }
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var payload = await reader.ReadToEndAsync(context.RequestAborted);
            if (payload.Length == 0)
            {
                payload = FakeShopifyPayloads.FromShop(state.Admin.Catalog(shop), topic, shop, time.GetUtcNow())
                    ?? FakeShopifyPayloads.Sample(topic, shop, time.GetUtcNow());
            }
            if (int.TryParse(query["duplicates"], NumberStyles.None, CultureInfo.InvariantCulture, out var duplicates))
            {
                sender.DuplicateDeliveries = Math.Min(duplicates, 5);
            }
            _ = Task.Run(async () =>
            {
                var sent = await sender.SendAsync(uri, topic, shop, payload, lifetime.ApplicationStopping);
                foreach (var delivery in sent.Deliveries)
                {
                    Console.WriteLine($"Webhook {topic} for {shop}: {string.Join(", ", delivery.Attempts.Select(a => a.Status?.ToString(CultureInfo.InvariantCulture) ?? a.Error))}");
                }
            });
            return Results.Accepted(value: new { topic, shop, target = uri.ToString(), payload = JsonNode.Parse(payload) });
        });
        app.MapGet("/fake/shopify/webhooks", () => Results.Json(new { attempts = sender.Attempts, finished = sender.Sent }));
    }
}

/// <summary>
/// Webhook payloads in Shopify's REST shape (snake_case, money as strings, numeric ids), built from
/// the fake shop's data so webhooks and the Admin API tell the same story.
/// </summary>
public static class FakeShopifyPayloads
{
    public static readonly string[] Topics =
        ["orders/create", "orders/updated", "refunds/create", "products/update", "app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"];

    public static string Order(FakeOrder order)
    {
        var lines = new JsonArray();
        foreach (var line in order.Lines)
        {
            var allocations = new JsonArray();
            if (line.Discount != 0)
            {
                allocations.Add(new JsonObject { ["amount"] = Money(line.Discount), ["amount_set"] = Set(line.Discount, order.Currency) });
            }
            lines.Add(new JsonObject
            {
                ["id"] = line.Id,
                ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{line.Id}",
                ["variant_id"] = line.Variant?.Id,
                ["product_id"] = line.Variant?.Product.Id,
                ["sku"] = line.Sku,
                ["name"] = line.Name,
                ["title"] = line.Variant?.Product.Title ?? line.Name,
                ["quantity"] = line.Quantity,
                ["price"] = Money(line.Price),
                ["price_set"] = Set(line.Price, order.Currency),
                ["total_discount"] = Money(line.Discount),
                ["discount_allocations"] = allocations,
            });
        }
        var payload = new JsonObject
        {
            ["id"] = order.Id,
            ["admin_graphql_api_id"] = $"gid://shopify/Order/{order.Id}",
            ["name"] = order.Name,
            ["email"] = order.Email,
            ["created_at"] = Time(order.CreatedAt),
            ["updated_at"] = Time(order.UpdatedAt),
            ["processed_at"] = Time(order.CreatedAt),
            ["cancelled_at"] = order.CancelledAt is { } cancelled ? Time(cancelled) : null,
            ["test"] = order.Test,
            ["source_name"] = order.SourceName,
            ["currency"] = order.Currency,
            ["presentment_currency"] = order.Currency,
            ["financial_status"] = order.FinancialStatus.ToLowerInvariant(),
            ["total_price"] = Money(order.TotalPrice),
            ["total_price_set"] = Set(order.TotalPrice, order.Currency),
            ["current_total_price"] = Money(order.TotalPrice - order.TotalRefunded),
            ["subtotal_price"] = Money(order.Subtotal),
            ["total_discounts"] = Money(order.Discounts),
            ["total_discounts_set"] = Set(order.Discounts, order.Currency),
            ["total_tax"] = Money(order.Tax),
            ["total_tax_set"] = Set(order.Tax, order.Currency),
            ["total_shipping_price_set"] = Set(order.Shipping, order.Currency),
            ["discount_codes"] = order.DiscountCode is { } code
                ? new JsonArray(new JsonObject { ["code"] = code, ["amount"] = Money(order.Discounts), ["type"] = "percentage" })
                : new JsonArray(),
            ["customer"] = order.Customer is { } customer ? Customer(customer) : null,
            ["line_items"] = lines,
            ["refunds"] = new JsonArray([.. order.Refunds.Select(r => (JsonNode)RefundNode(order, r))]),
        };
        return payload.ToJsonString();
    }

    public static string Refund(FakeOrder order, FakeRefund refund) => RefundNode(order, refund).ToJsonString();

    public static string Product(FakeProduct product) => new JsonObject
    {
        ["id"] = product.Id,
        ["admin_graphql_api_id"] = $"gid://shopify/Product/{product.Id}",
        ["title"] = product.Title,
        ["product_type"] = product.ProductType,
        ["vendor"] = product.Vendor,
        ["updated_at"] = Time(product.UpdatedAt),
        // The REST variant carries no cost (that is the inventory item's); Shopify's products/update looks the same.
        ["variants"] = new JsonArray([.. product.Variants.Select(v => (JsonNode)new JsonObject
        {
            ["id"] = v.Id,
            ["product_id"] = product.Id,
            ["title"] = v.Title,
            ["sku"] = v.Sku,
            ["price"] = Money(v.Price),
            ["inventory_item_id"] = v.InventoryItemId,
        })]),
    }.ToJsonString();

    /// <summary>app/uninstalled: the shop resource.</summary>
    public static string Shop(long shopId, string shop) => new JsonObject
    {
        ["id"] = shopId,
        ["name"] = shop.Split('.')[0],
        ["domain"] = shop,
        ["myshopify_domain"] = shop,
    }.ToJsonString();

    public static string CustomerDataRequest(long shopId, string shop, FakeCustomer customer, IEnumerable<long> ordersRequested, long requestId, string? phone = null) =>
        new JsonObject
        {
            ["shop_id"] = shopId,
            ["shop_domain"] = shop,
            ["orders_requested"] = new JsonArray([.. ordersRequested.Select(id => (JsonNode)id)]),
            ["customer"] = new JsonObject { ["id"] = customer.Id, ["email"] = customer.Email, ["phone"] = phone },
            ["data_request"] = new JsonObject { ["id"] = requestId },
        }.ToJsonString();

    public static string CustomerRedact(long shopId, string shop, FakeCustomer customer, IEnumerable<long> ordersToRedact, string? phone = null) =>
        new JsonObject
        {
            ["shop_id"] = shopId,
            ["shop_domain"] = shop,
            ["customer"] = new JsonObject { ["id"] = customer.Id, ["email"] = customer.Email, ["phone"] = phone },
            ["orders_to_redact"] = new JsonArray([.. ordersToRedact.Select(id => (JsonNode)id)]),
        }.ToJsonString();

    public static string ShopRedact(long shopId, string shop) => new JsonObject { ["shop_id"] = shopId, ["shop_domain"] = shop }.ToJsonString();

    /// <summary>
    /// A payload made by changing the shop's own fake data the way the event says, so the Admin API and the webhook tell
    /// the same story: orders/create adds an order, orders/updated touches the newest, refunds/create refunds one unit of
    /// it. Null when the shop has no data yet (no products, or no orders where one is needed).
    /// </summary>
    public static string? FromShop(FakeShopifyCatalog catalog, string topic, string shop, DateTimeOffset now)
    {
        const long shopId = 954889;
        FakeOrder? newest;
        FakeCustomer? customer;
        lock (catalog)
        {
            if (catalog.Products.Count == 0)
            {
                return null;
            }
            newest = catalog.Orders.Count == 0 ? null : catalog.Orders[^1];
            customer = catalog.Orders.LastOrDefault(o => o.Customer is not null)?.Customer;
        }
        switch (topic)
        {
            case "orders/create":
                var variant = catalog.Products[0].Variants[0];
                return Order(catalog.AddOrder(variant.Id, 1, now, customer));
            case "orders/updated" when newest is not null:
                catalog.TouchOrder(newest.Id, now);
                lock (catalog)
                {
                    return Order(newest);
                }
            case "refunds/create" when newest is not null:
                var refund = catalog.AddRefund(newest.Id, 1, now);
                lock (catalog)
                {
                    return Refund(newest, refund);
                }
            case "products/update":
                lock (catalog)
                {
                    return Product(catalog.Products[0]);
                }
            case "customers/data_request" when customer is not null:
                return CustomerDataRequest(shopId, shop, customer, OrdersOf(catalog, customer), 9999);
            case "customers/redact" when customer is not null:
                return CustomerRedact(shopId, shop, customer, OrdersOf(catalog, customer));
            case "app/uninstalled":
                return Shop(shopId, shop);
            case "shop/redact":
                return ShopRedact(shopId, shop);
            default:
                return null;
        }
    }

    private static List<long> OrdersOf(FakeShopifyCatalog catalog, FakeCustomer customer)
    {
        lock (catalog)
        {
            return [.. catalog.Orders.Where(o => o.Customer == customer).Select(o => o.Id)];
        }
    }

    /// <summary>A payload of the topic's shape from a one-order sample shop (the HTTP trigger without a body, for a shop without data).</summary>
    public static string Sample(string topic, string shop, DateTimeOffset now)
    {
        var catalog = FakeShopifyCatalog.Generate(seed: (int)(now.ToUnixTimeSeconds() % 100_000), orders: 3, until: now);
        var order = catalog.Orders[^1];
        var customer = catalog.Customers[0];
        const long shopId = 954889;
        return topic switch
        {
            "orders/create" or "orders/updated" => Order(order),
            "refunds/create" => Refund(order, catalog.AddRefund(order.Id, 1, now)),
            "products/update" => Product(catalog.Products[0]),
            "app/uninstalled" => Shop(shopId, shop),
            "customers/data_request" => CustomerDataRequest(shopId, shop, customer, [order.Id], 9999),
            "customers/redact" => CustomerRedact(shopId, shop, customer, [order.Id]),
            "shop/redact" => ShopRedact(shopId, shop),
            _ => throw new ArgumentException($"No sample for {topic}.", nameof(topic)),
        };
    }

    private static JsonObject RefundNode(FakeOrder order, FakeRefund refund)
    {
        var adjustments = new JsonArray();
        if (refund.Shipping != 0)
        {
            // Older API versions book refunded shipping as a negative "shipping_refund" order adjustment.
            adjustments.Add(new JsonObject
            {
                ["id"] = refund.Id + 1,
                ["order_id"] = order.Id,
                ["refund_id"] = refund.Id,
                ["kind"] = "shipping_refund",
                ["amount"] = Money(-refund.Shipping),
                ["tax_amount"] = Money(-refund.ShippingTax),
            });
        }
        return new JsonObject
        {
            ["id"] = refund.Id,
            ["admin_graphql_api_id"] = $"gid://shopify/Refund/{refund.Id}",
            ["order_id"] = order.Id,
            ["created_at"] = Time(refund.CreatedAt),
            ["processed_at"] = Time(refund.CreatedAt),
            ["note"] = null,
            ["refund_line_items"] = new JsonArray([.. refund.Lines.Select(l => (JsonNode)new JsonObject
            {
                ["id"] = l.Id,
                ["line_item_id"] = l.LineItem.Id,
                ["quantity"] = l.Quantity,
                ["subtotal"] = Money(l.Subtotal),
                ["subtotal_set"] = Set(l.Subtotal, order.Currency),
                ["total_tax"] = Money(l.Tax),
                ["total_tax_set"] = Set(l.Tax, order.Currency),
                ["restock_type"] = "return",
            })]),
            ["transactions"] = new JsonArray(new JsonObject
            {
                ["id"] = refund.Id + 2,
                ["kind"] = "refund",
                ["status"] = "success",
                ["amount"] = Money(refund.Total),
                ["currency"] = order.Currency,
            }),
            ["order_adjustments"] = adjustments,
        };
    }

    private static JsonObject Customer(FakeCustomer customer) => new()
    {
        ["id"] = customer.Id,
        ["email"] = customer.Email,
        ["first_name"] = customer.FirstName,
        ["last_name"] = customer.LastName,
        ["created_at"] = Time(customer.CreatedAt),
    };

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static JsonObject Set(decimal amount, string currency) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = currency },
        ["presentment_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = currency },
    };

    /// <summary>REST timestamps are ISO 8601 with the offset (Shopify writes the shop's; the fake's instants are UTC, +00:00).</summary>
    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
