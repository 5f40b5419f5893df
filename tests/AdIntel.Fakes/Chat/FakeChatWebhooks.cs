using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdIntel.Fakes.Chat;

/// <summary>A message a fake webhook accepted, with its parsed JSON body.</summary>
public sealed record FakeChatMessage(string HookId, JsonObject Body, DateTimeOffset ReceivedAt);

/// <summary>An answer scripted ahead of the real behaviour: rate limits, outages.</summary>
public sealed record FakeChatFault(int Status, TimeSpan? RetryAfter = null);

/// <summary>
/// The state of one fake provider's webhooks: the hooks it knows (created by tests, revoked on demand), the faults
/// scripted for the next posts, every accepted message and every attempt (accepted or not).
/// </summary>
public sealed class FakeChatState
{
    private readonly ConcurrentDictionary<string, bool> _hooks = new(); // id → revoked
    private readonly ConcurrentQueue<FakeChatFault> _faults = new();

    public ConcurrentQueue<FakeChatMessage> Received { get; } = new();

    /// <summary>Every post, with the status the fake answered.</summary>
    public ConcurrentQueue<(string HookId, int Status, DateTimeOffset At)> Attempts { get; } = new();

    /// <summary>A new hook: its path under the provider's base address (e.g. <c>T0…/B0…/secret</c>).</summary>
    public string CreateHook(Func<string, string> pathOf)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        _hooks[id] = false;
        return pathOf(id);
    }

    /// <summary>The hook was deleted by the workspace: posts are refused as revoked from now on.</summary>
    public void Revoke(string hookId) => _hooks[hookId] = true;

    /// <summary>The next post (and each after, in order) gets this answer instead of being accepted.</summary>
    public void Fail(FakeChatFault fault) => _faults.Enqueue(fault);

    public IReadOnlyList<FakeChatMessage> ReceivedBy(string hookId) => Received.Where(m => m.HookId == hookId).ToList();

    internal bool? IsRevoked(string hookId) => _hooks.TryGetValue(hookId, out var revoked) ? revoked : null;

    internal FakeChatFault? NextFault() => _faults.TryDequeue(out var fault) ? fault : null;
}

/// <summary>
/// Slack incoming webhooks as Slack answers them: 200 <c>ok</c> (text/plain); plain-text error codes — 400
/// <c>invalid_payload</c> (not JSON), 400 <c>no_text</c> (neither text nor blocks), 403 <c>invalid_token</c> (unknown
/// hook), 404 <c>no_service</c> (revoked), 429 <c>rate_limited</c> with Retry-After (scripted, or more than one message
/// a second per hook), 500 <c>rollup_error</c> (scripted).
/// </summary>
public static class FakeSlackWebhooks
{
    public const string PathPrefix = "/services/";

    /// <summary>The webhook path for a hook id: team, bot and secret.</summary>
    public static string PathOf(string hookId) => $"T0FAKE{hookId.ToUpperInvariant()}/B0FAKE{hookId.ToUpperInvariant()}/secret{hookId}";

    public static void Map(WebApplication app, FakeChatState state, TimeProvider time)
    {
        app.MapPost(PathPrefix + "{team}/{bot}/{secret}", async (string team, string bot, string secret, HttpRequest request) =>
        {
            var hookId = secret.StartsWith("secret", StringComparison.Ordinal) ? secret["secret".Length..] : secret;
            var now = time.GetUtcNow();
            IResult Answer(int status, string text, TimeSpan? retryAfter = null)
            {
                state.Attempts.Enqueue((hookId, status, now));
                if (retryAfter is { } wait)
                {
                    request.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                return Results.Text(text, "text/plain", statusCode: status);
            }
            switch (state.IsRevoked(hookId))
            {
                case null:
                    return Answer(403, "invalid_token");
                case true:
                    return Answer(404, "no_service");
            }
            if (state.NextFault() is { } fault)
            {
                return Answer(fault.Status, fault.Status == 429 ? "rate_limited" : "rollup_error", fault.RetryAfter);
            }
            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }
            if (body is null)
            {
                return Answer(400, "invalid_payload");
            }
            if (body["text"] is null && body["blocks"] is null)
            {
                return Answer(400, "no_text");
            }
            if (body["blocks"] is { } blocks && blocks is not JsonArray)
            {
                return Answer(400, "invalid_blocks_format");
            }
            // About one message a second per webhook.
            if (state.ReceivedBy(hookId).LastOrDefault() is { } last && now - last.ReceivedAt < TimeSpan.FromSeconds(1))
            {
                return Answer(429, "rate_limited", TimeSpan.FromSeconds(1));
            }
            state.Received.Enqueue(new FakeChatMessage(hookId, body, now));
            return Answer(200, "ok");
        });
    }
}

/// <summary>
/// Discord webhooks as Discord answers them: 204 (or 200 and the message with <c>?wait=true</c>); 400
/// <c>{"code":50006}</c> (empty message) or <c>{"code":50035,"errors":…}</c> (invalid form body: not JSON, content over
/// 2,000 characters, more than 10 embeds, an embed title over 256); 404 <c>{"code":10015,"message":"Unknown Webhook"}</c>
/// (unknown or revoked); 429 <c>{"message","retry_after","global"}</c> with Retry-After and X-RateLimit-* headers
/// (scripted, or more than 5 posts in 2 s per hook).
/// </summary>
public static class FakeDiscordWebhooks
{
    public const string PathPrefix = "/api/webhooks/";

    public static string PathOf(string hookId) => $"{long.Parse(hookId, NumberStyles.HexNumber, CultureInfo.InvariantCulture) + 100000000000000000L}/token-{hookId}-abcdef";

    public static void Map(WebApplication app, FakeChatState state, TimeProvider time)
    {
        app.MapPost(PathPrefix + "{id}/{token}", async (string id, string token, HttpRequest request) =>
        {
            var parts = token.Split('-');
            var hookId = parts.Length == 3 ? parts[1] : token;
            var now = time.GetUtcNow();
            var headers = request.HttpContext.Response.Headers;
            headers["X-RateLimit-Limit"] = "5";
            headers["X-RateLimit-Bucket"] = "fake-" + hookId;
            IResult Answer(int status, JsonObject? error, TimeSpan? retryAfter = null)
            {
                state.Attempts.Enqueue((hookId, status, now));
                if (retryAfter is { } wait)
                {
                    headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    headers["X-RateLimit-Remaining"] = "0";
                    headers["X-RateLimit-Reset-After"] = wait.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
                    headers["X-RateLimit-Reset"] = (now + wait).ToUnixTimeMilliseconds() / 1000.0 is var reset ? reset.ToString("0.000", CultureInfo.InvariantCulture) : "";
                    headers["X-RateLimit-Scope"] = "user";
                }
                return error is null ? Results.StatusCode(status) : Results.Json(error, statusCode: status);
            }
            if (state.IsRevoked(hookId) is null or true)
            {
                return Answer(404, new JsonObject { ["message"] = "Unknown Webhook", ["code"] = 10015 });
            }
            if (state.NextFault() is { } fault)
            {
                return fault.Status == 429
                    ? Answer(429, RateLimited(fault.RetryAfter ?? TimeSpan.FromSeconds(1)), fault.RetryAfter ?? TimeSpan.FromSeconds(1))
                    : Answer(fault.Status, new JsonObject { ["message"] = "Internal Server Error", ["code"] = 0 });
            }
            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }
            if (body is null)
            {
                return Answer(400, InvalidForm("_misc", "BASE_TYPE_BAD_JSON", "Invalid JSON."));
            }
            var content = body["content"]?.GetValue<string>() ?? "";
            var embeds = body["embeds"] as JsonArray ?? [];
            if (content.Length == 0 && embeds.Count == 0)
            {
                return Answer(400, new JsonObject { ["message"] = "Cannot send an empty message", ["code"] = 50006 });
            }
            if (content.Length > 2000)
            {
                return Answer(400, InvalidForm("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."));
            }
            if (embeds.Count > 10 || embeds.OfType<JsonObject>().Any(e => (e["title"]?.GetValue<string>().Length ?? 0) > 256 || (e["description"]?.GetValue<string>().Length ?? 0) > 4096))
            {
                return Answer(400, InvalidForm("embeds", "BASE_TYPE_MAX_LENGTH", "Must be within Discord's embed limits."));
            }
            // About 5 posts per 2 seconds per webhook.
            var recent = state.ReceivedBy(hookId).Count(m => now - m.ReceivedAt < TimeSpan.FromSeconds(2));
            if (recent >= 5)
            {
                return Answer(429, RateLimited(TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(2));
            }
            state.Received.Enqueue(new FakeChatMessage(hookId, body, now));
            headers["X-RateLimit-Remaining"] = Math.Max(0, 4 - recent).ToString(CultureInfo.InvariantCulture);
            // The bucket refills when the oldest post of the window leaves it.
            var oldest = state.ReceivedBy(hookId).Where(m => now - m.ReceivedAt < TimeSpan.FromSeconds(2)).Min(m => m.ReceivedAt);
            var resetAfter = TimeSpan.FromSeconds(2) - (now - oldest);
            headers["X-RateLimit-Reset-After"] = resetAfter.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = ((now + resetAfter).ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
            if (string.Equals(request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase))
            {
                state.Attempts.Enqueue((hookId, 200, now));
                return Results.Json(new JsonObject { ["id"] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), ["channel_id"] = id, ["content"] = content, ["embeds"] = embeds.DeepClone() });
            }
            return Answer(204, null);
        });
    }

    private static JsonObject RateLimited(TimeSpan retryAfter) =>
        new() { ["message"] = "You are being rate limited.", ["retry_after"] = Math.Round(retryAfter.TotalSeconds, 3), ["global"] = false };

    private static JsonObject InvalidForm(string field, string code, string message) => new()
    {
        ["code"] = 50035,
        ["errors"] = new JsonObject { [field] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) } },
        ["message"] = "Invalid Form Body",
    };
}
