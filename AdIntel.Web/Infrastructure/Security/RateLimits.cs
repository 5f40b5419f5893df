using System.Globalization;
using System.Threading.RateLimiting;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// One global limiter in each instance's memory, partitioned by what the request is (<see cref="RequestKinds"/>) and who
/// sends it: uploads per store (they are heavy), the API per token, session or
/// address (webhooks: see <see cref="WebhookRateLimits"/>). Credential forms (password guessing) are limited per client
/// address across instances by <see cref="SharedSignInLimit"/>. Refusals are 429 with Retry-After and, for the API, the
/// API's error body.
/// </summary>
public static class RateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
        options.OnRejected = RejectAsync;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RequestKinds.Classify(context.Request) switch
        {
            // Counted in the database, so the limit holds across instances (SharedSignInLimit).
            RequestKind.CredentialForm => RateLimitPartition.GetNoLimiter("sign-in"),
            RequestKind.Upload => PerMinute("upload:" + (StoreKey(context) ?? address), limits.ImportPermitsPerMinute),
            RequestKind.Api => PerMinute("api:" + (CallerKey(context) ?? address), limits.ApiPermitsPerMinute),
            // Charged by their endpoint once the signature is checked (WebhookRateLimits): only then is the shop they name
            // trustworthy.
            RequestKind.Webhook => RateLimitPartition.GetNoLimiter("webhook"),
            _ => RateLimitPartition.GetNoLimiter("unlimited"),
        };
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static string? StoreKey(HttpContext context) =>
        context.User.GetStoreId() is { } storeId ? storeId.ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>A token by its id, a person by account and store, the demo session by its store.</summary>
    private static string? CallerKey(HttpContext context)
    {
        var user = context.User;
        if (user.FindFirst(AdIntelClaims.ApiTokenId)?.Value is { } tokenId)
        {
            return "token:" + tokenId;
        }
        if (StoreKey(context) is not { } store)
        {
            return null;
        }
        return user.GetUserId() is { } userId ? $"user:{userId.ToString(CultureInfo.InvariantCulture)}:{store}" : "store:" + store;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : (int)Window.TotalSeconds;
        await RejectAsync(rejected.HttpContext, seconds, cancellationToken);
    }

    /// <summary>The answer to a request over its limit: 429 with Retry-After, and the API's error body for the API.</summary>
    public static async Task RejectAsync(HttpContext context, int seconds, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = $"Too many requests; wait {seconds} seconds and try again.";
        if (context.Request.IsApiRequest())
        {
            await ApiResults.Error(StatusCodes.Status429TooManyRequests, "rate_limited", message, new { retryAfterSeconds = seconds })
                .ExecuteAsync(context);
        }
        else
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message, cancellationToken);
        }
    }
}
