using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AdIntel.Web.Integrations.Shopify.Sync;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>Which shop to call, with which (decrypted) access token. Never logged.</summary>
public sealed record ShopifyAdminSession(string Shop, string AccessToken)
{
    public override string ToString() => Shop;
}

/// <summary>Shopify answered 401: the token is invalid, expired or revoked (the app was uninstalled).</summary>
public sealed class ShopifyUnauthorizedException(string shop) : Exception($"Shopify refused the access token of {shop} (401).");

/// <summary>A GraphQL error that retrying cannot fix (a bad query, ACCESS_DENIED, MAX_COST_EXCEEDED, SHOP_INACTIVE…).</summary>
public sealed class ShopifyGraphQlException(string code, string message) : Exception($"Shopify GraphQL error {code}: {message}")
{
    public string Code => code;
}

/// <summary>
/// The GraphQL Admin API (docs/integrations.md#graphql-admin-api): <c>POST {shop}/admin/api/{version}/graphql.json</c> with the
/// <c>X-Shopify-Access-Token</c> header. Cost-aware: before a call it waits until the shop's bucket (as the last
/// answer's <c>throttleStatus</c> described it) can pay what this query cost last time, and a THROTTLED answer (HTTP 200
/// or 429) is retried when the bucket has refilled enough. 429 honours Retry-After; 5xx, timeouts and malformed bodies
/// are retried with exponential back-off and jitter. 401 is the caller's to handle (refresh the token).
/// </summary>
public sealed class ShopifyAdminClient(HttpClient http, IOptions<ShopifyOptions> options, IOptions<ShopifySyncOptions> syncOptions,
    ShopifyRateLimiter limiter, TimeProvider time, ILogger<ShopifyAdminClient> logger)
{
    /// <summary>THROTTLED answers are the bucket's normal way of saying "wait"; this only stops a shop that never recovers.</summary>
    private const int MaxThrottledWaits = 100;

    private readonly ShopifyOptions _options = options.Value;
    private readonly ShopifySyncOptions _sync = syncOptions.Value;

    /// <summary>Runs a query or mutation; returns the whole answer (its <c>data</c> is an object). Dispose it.</summary>
    public async Task<JsonDocument> QueryAsync(ShopifyAdminSession session, string query, object? variables, CancellationToken cancellationToken)
    {
        var url = ShopUrl(session.Shop) + $"/admin/api/{_options.ApiVersion}/graphql.json";
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { query, variables });
        var failures = 0;
        var throttledWaits = 0;
        while (true)
        {
            await limiter.WaitForCapacityAsync(session.Shop, query, cancellationToken);
            var outcome = await SendOnceAsync(session, url, payload, query, cancellationToken);
            if (outcome.Document is { } document)
            {
                return document;
            }
            if (outcome.ThrottledWait is { } wait)
            {
                if (++throttledWaits > MaxThrottledWaits)
                {
                    throw new ShopifyGraphQlException("THROTTLED", $"Still throttled after {MaxThrottledWaits} waits.");
                }
                logger.LogDebug("Shopify throttled {Shop}; waiting {Wait} ms", session.Shop, (int)wait.TotalMilliseconds);
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }
            if (++failures >= _sync.MaxAttempts)
            {
                throw new HttpRequestException($"Shopify Admin API call failed {failures} times for {session.Shop}: {outcome.Problem}");
            }
            var delay = outcome.RetryAfter ?? BackOff(failures);
            logger.LogWarning("Shopify Admin API call for {Shop} failed ({Problem}); retry {Attempt} in {Delay} ms",
                session.Shop, outcome.Problem, failures + 1, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>
    /// Opens a bulk operation's result file. It is a signed storage URL: no Shopify credentials go with it. Transient
    /// failures to open it are retried like API calls.
    /// </summary>
    public async Task<HttpResponseMessage> OpenDownloadAsync(string url, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            string problem;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_sync.RequestTimeout);
            try
            {
                var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }
                problem = $"HTTP {(int)response.StatusCode}";
                var transient = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                response.Dispose();
                if (!transient)
                {
                    throw new HttpRequestException($"The bulk result could not be downloaded: {problem}.");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = "timeout";
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                problem = e.Message;
            }
            if (++failures >= _sync.MaxAttempts)
            {
                throw new HttpRequestException($"The bulk result could not be downloaded after {failures} attempts: {problem}.");
            }
            await Task.Delay(BackOff(failures), time, cancellationToken);
        }
    }

    private sealed record Outcome(JsonDocument? Document, TimeSpan? ThrottledWait, TimeSpan? RetryAfter, string? Problem);

    private async Task<Outcome> SendOnceAsync(ShopifyAdminSession session, string url, byte[] payload, string query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_sync.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("X-Shopify-Access-Token", session.AccessToken);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(null, null, null, "timeout");
        }
        catch (HttpRequestException e)
        {
            return new Outcome(null, null, null, e.Message);
        }
        using (response)
        {
            if (response.Headers.TryGetValues("X-Shopify-API-Deprecated-Reason", out var deprecated))
            {
                logger.LogWarning("Shopify API {Version} deprecation notice: {Reason}", _options.ApiVersion, string.Join("; ", deprecated));
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new ShopifyUnauthorizedException(session.Shop);
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = RetryAfter(response) ?? TimeSpan.FromSeconds(1);
                return new Outcome(null, null, retryAfter, "HTTP 429");
            }
            if ((int)response.StatusCode >= 500)
            {
                return new Outcome(null, null, null, $"HTTP {(int)response.StatusCode}");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new ShopifyGraphQlException($"HTTP_{(int)response.StatusCode}", Truncate(System.Text.Encoding.UTF8.GetString(body)));
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return new Outcome(null, null, null, "malformed JSON body");
            }
            var root = document.RootElement;
            var cost = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("extensions", out var extensions)
                && extensions.TryGetProperty("cost", out var c) ? c : (JsonElement?)null;
            if (cost is { } known)
            {
                limiter.Observe(session.Shop, query, known);
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return new Outcome(null, null, null, "unexpected JSON body");
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("extensions", out var ext) && ext.TryGetProperty("code", out var codeElement)
                    ? codeElement.GetString() ?? "" : "";
                var message = first.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                document.Dispose();
                return code switch
                {
                    "THROTTLED" => new Outcome(null, limiter.WaitAfterThrottle(session.Shop, query), null, "THROTTLED"),
                    "INTERNAL_SERVER_ERROR" => new Outcome(null, null, null, "INTERNAL_SERVER_ERROR"),
                    _ => throw new ShopifyGraphQlException(code.Length == 0 ? "GRAPHQL_ERROR" : code, message),
                };
            }
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return new Outcome(null, null, null, "answer without data");
            }
            return new Outcome(document, null, null, null);
        }
    }

    private TimeSpan BackOff(int failures)
    {
        var exponential = _sync.FirstBackOff.TotalMilliseconds * Math.Pow(2, failures - 1);
        var capped = Math.Min(exponential, _sync.MaxBackOff.TotalMilliseconds);
        // Jitter spreads retries of several syncs that failed together.
        return TimeSpan.FromMilliseconds(capped * (0.75 + Random.Shared.NextDouble() * 0.5));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }
        // Shopify sends fractional seconds ("2.0"), which the typed header does not parse.
        return response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 120))
            : null;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] : text;

    private string ShopUrl(string shop) =>
        ShopDomain.TryNormalize(shop, out var valid)
            ? _options.ShopUrlTemplate.Replace("{shop}", valid, StringComparison.Ordinal).TrimEnd('/')
            : throw new ArgumentException($"“{shop}” is not a shop's myshopify.com domain.", nameof(shop));
}
