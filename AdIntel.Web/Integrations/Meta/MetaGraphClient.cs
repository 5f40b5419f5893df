using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Meta;

public sealed record MetaAdAccount(string AccountId, string Name, string Currency, string TimeZone);

/// <summary>A campaign, ad set or ad as Meta lists it; budgets in the account currency's minor unit.</summary>
public sealed record MetaAdObject(string Id, string Name, string Status, string? EffectiveStatus, string? CampaignId, string? AdSetId,
    long? DailyBudgetMinor, DateTimeOffset? CreatedTime);

/// <summary>One ad's delivery on one day, with purchases from the configured action type only.</summary>
public sealed record MetaDailyInsight(string AdId, DateOnly Date, decimal Spend, long Impressions, long Reach, long LinkClicks, int Purchases,
    decimal PurchaseValue);

/// <summary>A Graph API failure that retrying did not (or cannot) fix.</summary>
public sealed class MetaApiException(MetaGraphError error, MetaUsage? usage = null)
    : Exception($"Meta API error {error.Code}{(error.Subcode is { } s ? "/" + s : "")}: {error.Message}")
{
    public MetaGraphError Error => error;

    /// <summary>The usage headers of the failed answer (when to try again).</summary>
    public MetaUsage Usage => usage ?? MetaUsage.None;
}

/// <summary>
/// The Graph / Marketing API client (docs/integrations.md#graph-api-calls): the token travels in the Authorization header (never in a URL,
/// so it cannot end up in a log), <c>appsecret_proof</c> goes with every call, lists follow <c>paging.next</c> on the
/// same host only, and throttled (codes 4/17/32/613/800xx) or transient answers are retried with back-off that honours
/// <c>estimated_time_to_regain_access</c>. Status and budget updates set absolute values, so a retried update can never
/// apply an action twice.
/// </summary>
public sealed partial class MetaGraphClient(HttpClient http, IOptions<MetaOptions> options, TimeProvider time, ILogger<MetaGraphClient> logger)
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(15);
    private readonly MetaOptions _options = options.Value;

    public async Task<IReadOnlyList<MetaAdAccount>> GetAdAccountsAsync(string accessToken, CancellationToken cancellationToken)
    {
        var rows = await GetAllAsync(accessToken, "me/adaccounts", new() { ["fields"] = "id,account_id,name,currency,timezone_name" }, cancellationToken);
        return [.. rows.Select(r => new MetaAdAccount(Text(r, "account_id") ?? "", Text(r, "name") ?? "", Text(r, "currency") ?? "USD", Text(r, "timezone_name") ?? "UTC"))];
    }

    /// <summary>Campaigns, ad sets or ads (<paramref name="edge"/>: campaigns, adsets, ads) of an ad account.</summary>
    public async Task<IReadOnlyList<MetaAdObject>> GetObjectsAsync(string accessToken, string accountId, string edge, CancellationToken cancellationToken)
    {
        if (edge is not ("campaigns" or "adsets" or "ads"))
        {
            throw new ArgumentOutOfRangeException(nameof(edge), edge, "campaigns, adsets or ads");
        }
        var fields = edge switch
        {
            "campaigns" => "id,name,status,effective_status,objective,daily_budget,created_time",
            "adsets" => "id,name,campaign_id,status,effective_status,daily_budget,created_time",
            _ => "id,name,adset_id,campaign_id,status,effective_status,created_time",
        };
        var rows = await GetAllAsync(accessToken, $"act_{accountId}/{edge}", new() { ["fields"] = fields }, cancellationToken);
        return [.. rows.Select(ParseObject)];
    }

    private static MetaAdObject ParseObject(JsonElement r) => new(
        Text(r, "id") ?? "", Text(r, "name") ?? "", Text(r, "status") ?? "ACTIVE", Text(r, "effective_status"),
        Text(r, "campaign_id"), Text(r, "adset_id"),
        long.TryParse(Text(r, "daily_budget"), NumberStyles.None, CultureInfo.InvariantCulture, out var budget) ? budget : null,
        DateTimeOffset.TryParseExact(Text(r, "created_time"), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var created) ? created : null);

    /// <summary>Daily insights per ad for the inclusive range (<c>level=ad</c>, <c>time_increment=1</c>).</summary>
    public async Task<IReadOnlyList<MetaDailyInsight>> GetDailyInsightsAsync(string accessToken, string accountId, DateOnly since, DateOnly until,
        CancellationToken cancellationToken)
    {
        var rows = await GetAllAsync(accessToken, $"act_{accountId}/insights", new()
        {
            ["level"] = "ad",
            ["time_increment"] = "1",
            ["time_range"] = JsonSerializer.Serialize(new { since = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), until = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }),
            ["fields"] = "ad_id,spend,impressions,reach,inline_link_clicks,actions,action_values",
        }, cancellationToken);
        return [.. rows.Select(ParseInsight)];
    }

    /// <summary>One campaign, ad set or ad as Meta has it now; null when Meta does not know it.</summary>
    public async Task<MetaAdObject?> GetObjectAsync(string accessToken, string objectId, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await SendAsync(accessToken, HttpMethod.Get,
                Url(accessToken, objectId, new() { ["fields"] = "id,name,status,effective_status,campaign_id,adset_id,daily_budget,created_time" }), null, cancellationToken);
            return ParseObject(document.RootElement);
        }
        catch (MetaApiException ex) when (ex.Error.Code == 100)
        {
            return null;
        }
    }

    /// <summary>
    /// Sets an object's status (ACTIVE/PAUSED) and/or daily budget (minor units), exactly once: the values are absolute,
    /// and after a failed or unanswered attempt the object is read back before trying again, so an update that landed
    /// while its answer was lost is not sent a second time.
    /// </summary>
    public async Task UpdateAsync(string accessToken, string objectId, string? status, long? dailyBudgetMinor, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>();
        if (status is not null)
        {
            form["status"] = status;
        }
        if (dailyBudgetMinor is { } budget)
        {
            form["daily_budget"] = budget.ToString(CultureInfo.InvariantCulture);
        }
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var document = await SendAsync(accessToken, HttpMethod.Post, Url(accessToken, objectId, []), form, cancellationToken, retry: false);
                if (!(document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True))
                {
                    throw new MetaApiException(new MetaGraphError(200, 0, null, "Meta did not confirm the update.", null, false, null));
                }
                return;
            }
            catch (MetaApiException ex) when (ex.Error.Kind is MetaErrorKind.Throttled or MetaErrorKind.Transient && attempt < _options.MaxRetries)
            {
                await Task.Delay(BackOff(attempt, ex.Usage), time, cancellationToken);
                if (await GetObjectAsync(accessToken, objectId, cancellationToken) is { } current
                    && (status is null || current.Status == status) && (dailyBudgetMinor is null || current.DailyBudgetMinor == dailyBudgetMinor))
                {
                    logger.LogInformation("Meta update of {ObjectId} had landed although its answer failed; not sent again", objectId);
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Daily insights per ad through an asynchronous report run (for long backfills, docs/integrations.md#insights-and-async-reports): start it,
    /// poll until Meta has finished, then page through its rows.
    /// </summary>
    public async Task<IReadOnlyList<MetaDailyInsight>> GetDailyInsightsByReportRunAsync(string accessToken, string accountId, DateOnly since, DateOnly until,
        CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["level"] = "ad",
            ["time_increment"] = "1",
            ["time_range"] = JsonSerializer.Serialize(new { since = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), until = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }),
            ["fields"] = "ad_id,spend,impressions,reach,inline_link_clicks,actions,action_values",
        };
        string runId;
        using (var started = await SendAsync(accessToken, HttpMethod.Post, Url(accessToken, $"act_{accountId}/insights", []), form, cancellationToken))
        {
            runId = Text(started.RootElement, "report_run_id") ?? throw new MetaApiException(new MetaGraphError(200, 0, null, "Meta did not start the report run.", null, false, null));
        }
        var deadline = time.GetUtcNow() + _options.ReportRunTimeout;
        while (true)
        {
            using var status = await SendAsync(accessToken, HttpMethod.Get, Url(accessToken, runId, []), null, cancellationToken);
            var state = Text(status.RootElement, "async_status");
            if (state == "Job Completed")
            {
                break;
            }
            if (state is "Job Failed" or "Job Skipped")
            {
                throw new MetaApiException(new MetaGraphError(200, 2, null, $"Meta's report run {runId} ended with \"{state}\".", null, true, null));
            }
            if (time.GetUtcNow() > deadline)
            {
                throw new MetaApiException(new MetaGraphError(200, 2, null, $"Meta's report run {runId} did not finish within {_options.ReportRunTimeout}.", null, true, null));
            }
            await Task.Delay(_options.ReportPollInterval, time, cancellationToken);
        }
        var rows = await GetAllAsync(accessToken, $"{runId}/insights", [], cancellationToken);
        return [.. rows.Select(ParseInsight)];
    }

    private MetaDailyInsight ParseInsight(JsonElement row)
    {
        int purchases = 0;
        decimal value = 0;
        if (row.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
        {
            purchases = (int)actions.EnumerateArray().Where(IsPurchase).Sum(a => Number(a, "value"));
        }
        if (row.TryGetProperty("action_values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            value = values.EnumerateArray().Where(IsPurchase).Sum(a => Number(a, "value"));
        }
        return new MetaDailyInsight(
            Text(row, "ad_id") ?? "",
            DateOnly.ParseExact(Text(row, "date_start") ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Number(row, "spend"), (long)Number(row, "impressions"), (long)Number(row, "reach"), (long)Number(row, "inline_link_clicks"),
            purchases, value);

        bool IsPurchase(JsonElement action) => Text(action, "action_type") == _options.PurchaseActionType;
    }

    /// <param name="maxRows">stop following pages once this many rows are read (null: all of them).</param>
    private async Task<List<JsonElement>> GetAllAsync(string accessToken, string path, Dictionary<string, string?> query, CancellationToken cancellationToken,
        int? maxRows = null)
    {
        query["limit"] = _options.PageSize.ToString(CultureInfo.InvariantCulture);
        var url = Url(accessToken, path, query);
        var rows = new List<JsonElement>();
        var graphHost = new Uri(_options.GraphBaseUrl).Authority;
        while (url is not null)
        {
            using var document = await SendAsync(accessToken, HttpMethod.Get, url, null, cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new MetaApiException(new MetaGraphError(200, 0, null, $"Meta's answer to {path} has no data list.", null, false, null));
            }
            rows.AddRange(data.EnumerateArray().Select(e => e.Clone()));
            if (rows.Count >= maxRows || data.GetArrayLength() == 0)
            {
                break;
            }
            url = root.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out var next) && next.GetString() is { } nextUrl
                ? Uri.TryCreate(nextUrl, UriKind.Absolute, out var nextUri) && nextUri.Authority == graphHost
                    ? WithProof(accessToken, nextUrl)
                    : throw new MetaApiException(new MetaGraphError(200, 0, null, "Meta's next page points to another host; not followed.", null, false, null))
                : null;
        }
        return rows;
    }

    private string Url(string accessToken, string path, Dictionary<string, string?> query) =>
        WithProof(accessToken, QueryHelpers.AddQueryString($"{_options.GraphBaseUrl.TrimEnd('/')}/{_options.ApiVersion}/{path}", query));

    private string WithProof(string accessToken, string url)
    {
        var secret = _options.AppSecret ?? throw new InvalidOperationException("Meta:AppSecret is not configured.");
        return url.Contains("appsecret_proof=", StringComparison.Ordinal) ? url : QueryHelpers.AddQueryString(url, "appsecret_proof", MetaAppSecretProof.Compute(accessToken, secret));
    }

    /// <param name="retry">false: one attempt; the caller decides what a failure means (updates read the object back first).</param>
    private async Task<JsonDocument> SendAsync(string accessToken, HttpMethod method, string url, Dictionary<string, string>? form, CancellationToken cancellationToken,
        bool retry = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
            }
            MetaGraphError error;
            MetaUsage usage = MetaUsage.None;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                usage = MetaUsage.Parse(Header(response, "X-App-Usage"), Header(response, "X-Ad-Account-Usage"), Header(response, "X-Business-Use-Case-Usage"));
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        var document = JsonDocument.Parse(body);
                        if (usage.MaxPercent >= _options.SlowDownAtUsagePercent)
                        {
                            // Near the limit: pause before the next call rather than run into code 80004 and a lockout.
                            var pause = usage.RegainAccessIn > _options.RetryBaseDelay ? usage.RegainAccessIn : _options.RetryBaseDelay;
                            logger.LogInformation("Meta usage at {Percent}%: pausing {Pause} before the next call", usage.MaxPercent, pause);
                            await Task.Delay(pause, time, cancellationToken);
                        }
                        return document;
                    }
                    catch (JsonException)
                    {
                        error = new MetaGraphError(200, 2, null, "Meta sent a truncated or malformed answer.", null, true, null);
                    }
                }
                else
                {
                    error = MetaGraphError.Parse((int)response.StatusCode, body);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException)
            {
                error = new MetaGraphError(0, 2, null, $"No answer from Meta ({e.GetType().Name}).", null, true, null);
            }

            if (!retry || error.Kind is not (MetaErrorKind.Throttled or MetaErrorKind.Transient) || attempt >= _options.MaxRetries)
            {
                throw new MetaApiException(error, usage);
            }
            var wait = BackOff(attempt, usage);
            logger.LogWarning("Meta answered {Kind} (code {Code}) to {Method} {Path}; retry {Attempt} of {MaxRetries} in {Wait}",
                error.Kind, error.Code, method, new Uri(url).AbsolutePath, attempt + 1, _options.MaxRetries, wait);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Exponential from <see cref="MetaOptions.RetryBaseDelay"/>, capped, and never shorter than Meta's own estimate.</summary>
    private TimeSpan BackOff(int attempt, MetaUsage usage)
    {
        var backOff = TimeSpan.FromTicks(Math.Min(MaxBackOff.Ticks, _options.RetryBaseDelay.Ticks << Math.Min(attempt, 20)));
        return usage.RegainAccessIn > backOff ? usage.RegainAccessIn : backOff;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Meta sends every metric as a string ("123.45"); absent means none.</summary>
    private static decimal Number(JsonElement element, string name) =>
        decimal.TryParse(Text(element, name), NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : 0m;
}
