using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// <c>POST /api/webhooks/shopify</c>: every topic, the mandatory privacy ones included (docs/integrations.md#webhooks). No session
/// and no antiforgery — Shopify signs the raw body instead: the HMAC is checked on the exact bytes before anything is
/// parsed (401 when missing or wrong, as Shopify's compliance review requires). Headers are read in both spellings
/// (<c>X-Shopify-Topic</c> and the newer <c>shopify-topic</c>). Duplicates are recognised by X-Shopify-Event-Id (the
/// same for every delivery of one event), else X-Shopify-Webhook-Id, and answered 200 at once. The body is capped by
/// Security:MaxRequestBodyKilobytes (413 beyond). Rate limits (429) come after the signature: failed signatures count
/// against the client address, genuine deliveries against their shop (<see cref="WebhookRateLimits"/>).
/// </summary>
public static class ShopifyWebhookEndpoint
{
    public static IEndpointRouteBuilder MapShopifyWebhookEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(ShopifyAppPaths.Webhooks, ReceiveAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, IOptions<ShopifyOptions> options, ShopifyWebhookProcessor processor,
        WebhookRateLimits limits, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ShopifyWebhookEndpoint));
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limits.IsAddressBlocked(address))
        {
            return TooManyRequests(context);
        }
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        var secret = options.Value.ClientSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            logger.LogError("A Shopify webhook arrived but Shopify:ClientSecret is not configured, so it cannot be verified");
            return ApiResults.Error(StatusCodes.Status401Unauthorized, "invalid_hmac", "This installation cannot verify Shopify webhooks (no app secret is configured).");
        }
        if (!ShopifySignatures.IsValidWebhook(body, Header(context.Request, "Hmac-Sha256"), secret))
        {
            if (!limits.TryChargeUnsigned(address))
            {
                return TooManyRequests(context);
            }
            logger.LogWarning("Shopify webhook refused: missing or wrong HMAC (topic {Topic})", Header(context.Request, "Topic"));
            return ApiResults.Error(StatusCodes.Status401Unauthorized, "invalid_hmac", "The X-Shopify-Hmac-Sha256 header is missing or does not match the body.");
        }

        var topic = Header(context.Request, "Topic")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(topic) || topic.Length > 64)
        {
            return ApiResults.BadRequest("The X-Shopify-Topic header is missing.");
        }
        if (!ShopDomain.TryNormalize(Header(context.Request, "Shop-Domain"), out var shop))
        {
            return ApiResults.BadRequest("The X-Shopify-Shop-Domain header is missing or not a .myshopify.com domain.");
        }
        if (!limits.TryChargeShop(shop))
        {
            return TooManyRequests(context);
        }
        var webhookId = Header(context.Request, "Webhook-Id")?.Trim();
        var deliveryKey = Header(context.Request, "Event-Id")?.Trim() is { Length: > 0 } eventId ? "event:" + eventId
            : webhookId is { Length: > 0 } ? "webhook:" + webhookId : null;
        if (deliveryKey is null || deliveryKey.Length > 100)
        {
            return ApiResults.BadRequest("The delivery has neither an X-Shopify-Event-Id nor an X-Shopify-Webhook-Id header.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return ApiResults.BadRequest("The webhook body is not valid JSON.");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ApiResults.BadRequest("The webhook body is not a JSON object.");
            }
            try
            {
                var outcome = await processor.ProcessAsync(
                    new ShopifyWebhook(topic, shop, deliveryKey, webhookId is { Length: > 0 and <= 100 } ? webhookId : null, document.RootElement), cancellationToken);
                return ApiResults.Ok(new { status = outcome.ToString().ToLowerInvariant() });
            }
            catch (ShopifyPayloadException invalid)
            {
                logger.LogWarning("Shopify webhook {Topic} for {Shop} refused: {Problem}", topic, shop, invalid.Message);
                return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid_payload", invalid.Message);
            }
        }
    }

    private static IResult TooManyRequests(HttpContext context)
    {
        var seconds = (int)WebhookRateLimits.Window.TotalSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiResults.Error(StatusCodes.Status429TooManyRequests, "rate_limited", $"Too many requests; wait {seconds} seconds and try again.",
            new { retryAfterSeconds = seconds });
    }

    /// <summary>The exact bytes Shopify signed (never re-serialised JSON).</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 4096);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Classic <c>X-Shopify-{name}</c> or the Events format's <c>shopify-{name}</c> (header names are case-insensitive).</summary>
    private static string? Header(HttpRequest request, string name) =>
        request.Headers["X-Shopify-" + name] is { Count: > 0 } classic ? classic.ToString()
        : request.Headers["Shopify-" + name] is { Count: > 0 } events ? events.ToString()
        : null;
}
