using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>How one attempt to deliver went.</summary>
public enum DeliveryResult
{
    Sent,
    /// <summary>Try again later (rate limited, the provider or the network failed); <see cref="DeliveryOutcome.RetryAfter"/> when the provider said when.</summary>
    Retry,
    /// <summary>The provider refused this message; sending it again would not help.</summary>
    Failed,
    /// <summary>The webhook no longer exists or may not post: the channel must be connected again.</summary>
    Revoked,
}

public sealed record DeliveryOutcome(DeliveryResult Result, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static DeliveryOutcome Sent { get; } = new(DeliveryResult.Sent);
}

/// <summary>
/// Posts to Slack incoming webhooks and Discord webhooks and reads their answers as each documents them: Slack's
/// plain-text error codes (404 <c>no_service</c>, 403 <c>action_prohibited</c>, 410 <c>channel_is_archived</c>, 429 with
/// Retry-After), Discord's JSON errors (10015 Unknown Webhook, 429 with <c>retry_after</c> and X-RateLimit-* headers).
/// The address never appears in an error or a log.
/// </summary>
public sealed class ChatWebhookClient(HttpClient http, WebhookPacer pacer, ILogger<ChatWebhookClient> logger)
{
    /// <summary>
    /// Slack allows about one message a second per webhook. Posts are spaced a little more than that: Slack counts
    /// arrivals, and two posts sent a second apart can arrive a few milliseconds closer (seen as a 429 in a burst).
    /// </summary>
    private static readonly TimeSpan SlackPace = TimeSpan.FromSeconds(1.1);

    public async Task<DeliveryOutcome> PostSlackAsync(string webhookUrl, JsonObject payload, CancellationToken cancellationToken)
    {
        var (turn, wait) = await pacer.WaitTurnAsync(webhookUrl, cancellationToken);
        if (turn is null)
        {
            return new DeliveryOutcome(DeliveryResult.Retry, "Waiting for Slack's rate limit.", wait);
        }
        using var _ = turn;
        using var response = await PostAsync(webhookUrl, payload, cancellationToken);
        if (response is null)
        {
            return new DeliveryOutcome(DeliveryResult.Retry, "Slack could not be reached.");
        }
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var error = $"Slack answered {(int)response.StatusCode} {Short(body)}".TrimEnd();
        turn.PauseFor(response.StatusCode == HttpStatusCode.TooManyRequests ? RetryAfterHeader(response) ?? SlackPace : SlackPace);
        return (int)response.StatusCode switch
        {
            200 => DeliveryOutcome.Sent,
            429 => new DeliveryOutcome(DeliveryResult.Retry, error, RetryAfterHeader(response)),
            >= 500 => new DeliveryOutcome(DeliveryResult.Retry, error, RetryAfterHeader(response)),
            // no_service (revoked or disabled), channel_not_found, invalid_token, action_prohibited, channel_is_archived.
            401 or 403 or 404 or 410 => new DeliveryOutcome(DeliveryResult.Revoked, error),
            _ => new DeliveryOutcome(DeliveryResult.Failed, error),
        };
    }

    public async Task<DeliveryOutcome> PostDiscordAsync(string webhookUrl, JsonObject payload, CancellationToken cancellationToken)
    {
        var (turn, wait) = await pacer.WaitTurnAsync(webhookUrl, cancellationToken);
        if (turn is null)
        {
            return new DeliveryOutcome(DeliveryResult.Retry, "Waiting for Discord's rate limit.", wait);
        }
        using var _ = turn;
        using var response = await PostAsync(webhookUrl, payload, cancellationToken);
        if (response is null)
        {
            return new DeliveryOutcome(DeliveryResult.Retry, "Discord could not be reached.");
        }
        if (response.IsSuccessStatusCode)
        {
            // The bucket is empty: the next post waits for it to refill instead of drawing a 429.
            if (response.Headers.TryGetValues("X-RateLimit-Remaining", out var remaining) && remaining.First() == "0" && ResetAfterHeader(response) is { } reset)
            {
                turn.PauseFor(reset);
            }
            return DeliveryOutcome.Sent;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var (code, message, retryAfter) = ReadDiscordError(body);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            turn.PauseFor(retryAfter ?? RetryAfterHeader(response) ?? ResetAfterHeader(response) ?? TimeSpan.FromSeconds(1));
        }
        var error = $"Discord answered {(int)response.StatusCode}" + (code is null ? "" : $" code {code}") + (message is null ? "" : $" {Short(message)}");
        return (int)response.StatusCode switch
        {
            429 => new DeliveryOutcome(DeliveryResult.Retry, error, retryAfter ?? RetryAfterHeader(response) ?? ResetAfterHeader(response)),
            >= 500 => new DeliveryOutcome(DeliveryResult.Retry, error, RetryAfterHeader(response)),
            // 10015 Unknown Webhook (deleted), or a token that no longer matches.
            401 or 403 or 404 => new DeliveryOutcome(DeliveryResult.Revoked, error),
            _ => new DeliveryOutcome(DeliveryResult.Failed, error),
        };
    }

    private async Task<HttpResponseMessage?> PostAsync(string webhookUrl, JsonObject payload, CancellationToken cancellationToken)
    {
        try
        {
            return await http.PostAsJsonAsync(webhookUrl, payload, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The exception's message may hold the address: only its type is logged.
            logger.LogWarning("Webhook post failed: {Failure}", ex.GetType().Name);
            return null;
        }
    }

    private static (string? Code, string? Message, TimeSpan? RetryAfter) ReadDiscordError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }
            var code = root.TryGetProperty("code", out var c) ? c.ToString() : null;
            var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
            TimeSpan? retryAfter = root.TryGetProperty("retry_after", out var r) && r.TryGetDouble(out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
            return (code, message, retryAfter);
        }
        catch (JsonException)
        {
            return (null, Short(body), null);
        }
    }

    private static TimeSpan? RetryAfterHeader(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            // An HTTP date: measured against the answer's own Date, so the two clocks need not agree.
            { Date: { } date } when response.Headers.Date is { } sent => date > sent ? date - sent : TimeSpan.Zero,
            _ => null,
        };

    private static TimeSpan? ResetAfterHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-RateLimit-Reset-After", out var values)
        && double.TryParse(values.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static string Short(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
