using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace AdIntel.Fakes.Meta;

/// <summary>
/// A fake of Meta's Graph / Marketing API on one host: the OAuth dialog and token endpoints,
/// <c>appsecret_proof</c> enforcement, ad accounts, campaigns / ad sets / ads with cursor paging, daily insights with
/// <c>actions</c> and <c>action_values</c> arrays (sync and async report runs), status and <c>daily_budget</c> updates,
/// the Ad Library (<c>ads_archive</c>, see FakeMetaGraph.AdLibrary.cs),
/// Meta's error bodies, usage headers, and injected faults.
/// </summary>
public static partial class FakeMetaGraph
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static void Map(IEndpointRouteBuilder app, FakeMetaState state, TimeProvider time)
    {
        // The login dialog lives on www.facebook.com; the fake serves it on the same host and consents at once.
        app.MapGet("/{version}/dialog/oauth", (HttpContext context) =>
        {
            var query = context.Request.Query;
            if (query["client_id"] != state.AppId || string.IsNullOrEmpty(query["redirect_uri"]))
            {
                return Results.BadRequest("Invalid client_id or redirect_uri.");
            }
            var code = "code-" + Guid.NewGuid().ToString("N");
            lock (state)
            {
                state.PendingCodes[code] = query["redirect_uri"]!;
            }
            var target = QueryHelpers.AddQueryString(query["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"] });
            return Results.Redirect(target);
        });

        app.MapMethods("/{version}/{**path}", ["GET", "POST"], async (HttpContext context, string version, string path) =>
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
            // The Conversions API also takes a JSON body: {"data": [...], "test_event_code": "..."}.
            var jsonBody = context.Request.HasJsonContentType() ? await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject : null;
            string? Param(string name) => form?[name].FirstOrDefault()
                ?? (jsonBody?[name] is { } node ? node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString() : null)
                ?? context.Request.Query[name].FirstOrDefault();
            lock (state)
            {
                state.Calls++;
            }

            var fault = path.StartsWith("oauth/", StringComparison.Ordinal) ? FakeFault.None : state.Faults.Next();
            switch (fault)
            {
                case FakeFault.Throttled:
                    WriteUsage(context, 100, state.Faults.ThrottleRegainMinutes);
                    return Error(400, 80004, 2446079, "(#80004) There have been too many calls to this ad-account. Wait a bit and try again.", transient: true);
                case FakeFault.ServerError:
                    return Error(500, 1, null, "An unknown error occurred", transient: true);
                case FakeFault.MalformedBody:
                    return Results.Text("{\"data\":[{\"id\":", "application/json", statusCode: 200);
                case FakeFault.Slow:
                    await Task.Delay(state.Faults.SlowDelay, context.RequestAborted);
                    break;
            }

            if (path == "oauth/access_token")
            {
                return ExchangeToken(state, time, Param);
            }

            var token = Param("access_token") ?? BearerToken(context);
            lock (state)
            {
                if (token is null || !state.Tokens.TryGetValue(token, out var expires))
                {
                    return Error(400, 190, 467, "Invalid OAuth access token - Cannot parse access token", transient: false);
                }
                if (expires <= time.GetUtcNow())
                {
                    return Error(400, 190, 463, "Error validating access token: Session has expired.", transient: false);
                }
            }
            if (state.RequireAppSecretProof)
            {
                var proof = Param("appsecret_proof");
                if (proof is null)
                {
                    return Error(400, 100, null, "API calls from the server require an appsecret_proof argument", transient: false);
                }
                if (!IsValidProof(token, state.AppSecret, proof))
                {
                    return Error(400, 100, null, "Invalid appsecret_proof provided in the API argument", transient: false);
                }
            }

            WriteUsage(context, state.UsagePercent, 0);
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            lock (state)
            {
                return (context.Request.Method, segments) switch
                {
                    ("GET", ["me", "adaccounts"]) => Page(context, version, state.Accounts.Select(AccountJson).ToList()),
                    ("GET", [var account, "campaigns" or "adsets" or "ads"]) when Account(state, account) is { } a =>
                        Page(context, version, state.Objects.Where(o => o.AccountId == a.AccountId && o.Kind == Kind(segments[1]))
                            .OrderBy(o => o.Id, StringComparer.Ordinal).Select(o => WithCreative(o, Param("fields"))).ToList()),
                    ("GET", [var account, "adspixels"]) when Account(state, account) is { } a =>
                        Page(context, version, state.Datasets.Where(d => d.AccountId == a.AccountId).OrderBy(d => d.Id, StringComparer.Ordinal)
                            .Select(d => FakeMetaDatasets.Fields(d, Param("fields"))).ToList()),
                    ("GET", ["dataset_quality"]) => DatasetQuality(state, Param),
                    ("GET", ["ads_archive"]) => AdLibrary(context, version, state, time, token, Param),
                    ("GET", [var dataset, "stats"]) when FakeMetaDatasets.Find(state, dataset) is { } d => DatasetStats(context, version, d, Param),
                    ("POST", [var dataset, "events"]) when FakeMetaDatasets.Find(state, dataset) is { } d => ReceiveEvents(d, time, Param),
                    ("GET", [var dataset]) when FakeMetaDatasets.Find(state, dataset) is { } d => Results.Json(FakeMetaDatasets.Fields(d, Param("fields"))),
                    ("GET", [var account, "insights"]) when Account(state, account) is { } a => SyncInsights(context, version, state, a, Param),
                    ("POST", [var account, "insights"]) when Account(state, account) is { } a => StartReportRun(state, a, Param),
                    ("GET", [var run]) when state.ReportRuns.TryGetValue(run, out var r) => ReportRunStatus(r),
                    ("GET", [var run, "insights"]) when state.ReportRuns.TryGetValue(run, out var r) && r.PollsUntilDone <= 0 =>
                        Page(context, version, InsightRows(state, r.AccountId, r.Since, r.Until, null)),
                    ("GET", [var account]) when Account(state, account) is { } a => Results.Json(AccountJson(a)),
                    ("GET", [var id]) when state.Find(id) is { } o => Results.Json(ObjectJson(o)),
                    ("POST", [var id]) when state.Find(id) is { } o => LoseAnswerAfterWrite(state, Update(state, time, o, Param)),
                    _ => Error(400, 100, 33, $"Unsupported {context.Request.Method.ToLowerInvariant()} request. Object with ID '{segments.FirstOrDefault()}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", transient: false),
                };
            }
        });
    }

    private static IResult DatasetQuality(FakeMetaState state, Func<string, string?> param)
    {
        if (param("dataset_id") is not { } id || FakeMetaDatasets.Find(state, id) is not { } dataset)
        {
            return Error(400, 100, 33, $"(#100) dataset_id '{param("dataset_id")}' does not exist or cannot be loaded due to missing permissions.", transient: false);
        }
        return Results.Json(FakeMetaDatasets.Quality(dataset));
    }

    private static IResult DatasetStats(HttpContext context, string version, FakeDataset dataset, Func<string, string?> param)
    {
        var buckets = FakeMetaDatasets.Stats(dataset, param, out var problem);
        return problem is null ? Page(context, version, buckets) : Error(400, 100, null, problem, transient: false);
    }

    private static IResult ReceiveEvents(FakeDataset dataset, TimeProvider time, Func<string, string?> param)
    {
        var (answer, error) = FakeMetaDatasets.ReceiveEvents(dataset, param("data"), param("test_event_code"), time.GetUtcNow());
        return error is null
            ? Results.Json(answer)
            : Error(400, error.Code, error.Subcode, error.Message, transient: false, userTitle: error.Title, userMessage: error.Message);
    }

    // Computed here, not with the product's code, so a shared mistake cannot make both sides agree.
    private static bool IsValidProof(string token, string secret, string proof) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(token)))),
            Encoding.ASCII.GetBytes(proof));

    private static IResult ExchangeToken(FakeMetaState state, TimeProvider time, Func<string, string?> param)
    {
        if (param("client_id") != state.AppId || param("client_secret") != state.AppSecret)
        {
            return Error(400, 1, null, "Error validating client secret.", transient: false, type: "OAuthException");
        }
        lock (state)
        {
            if (param("grant_type") == "fb_exchange_token")
            {
                if (param("fb_exchange_token") is not { } shortLived || !state.Tokens.ContainsKey(shortLived))
                {
                    return Error(400, 190, null, "Invalid OAuth access token.", transient: false);
                }
                var longLived = state.IssueToken(TimeSpan.FromDays(60), time.GetUtcNow());
                return Results.Json(new { access_token = longLived, token_type = "bearer", expires_in = 5183944 });
            }
            if (param("code") is not { } code || !state.PendingCodes.Remove(code, out var redirect) || redirect != param("redirect_uri"))
            {
                return Error(400, 100, 36009, "This authorization code has been used.", transient: false, type: "OAuthException");
            }
            var token = state.IssueToken(TimeSpan.FromHours(2), time.GetUtcNow());
            return Results.Json(new { access_token = token, token_type = "bearer", expires_in = 7200 });
        }
    }

    private static IResult SyncInsights(HttpContext context, string version, FakeMetaState state, FakeAdAccount account, Func<string, string?> param)
    {
        if (!TryRange(param("time_range"), out var since, out var until))
        {
            return Error(400, 100, null, "(#100) time_range must be a JSON object with since and until dates.", transient: false);
        }
        var fields = param("fields")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        return Page(context, version, InsightRows(state, account.AccountId, since, until, fields));
    }

    private static IResult StartReportRun(FakeMetaState state, FakeAdAccount account, Func<string, string?> param)
    {
        if (!TryRange(param("time_range"), out var since, out var until))
        {
            return Error(400, 100, null, "(#100) time_range must be a JSON object with since and until dates.", transient: false);
        }
        var run = new FakeReportRun { Id = (6023920149050L + state.ReportRuns.Count).ToString(CultureInfo.InvariantCulture), AccountId = account.AccountId, Since = since, Until = until };
        state.ReportRuns[run.Id] = run;
        return Results.Json(new { report_run_id = run.Id });
    }

    private static IResult ReportRunStatus(FakeReportRun run)
    {
        var done = run.PollsUntilDone <= 0;
        var percent = done ? 100 : 50;
        run.PollsUntilDone--;
        return Results.Json(new Dictionary<string, object>
        {
            ["id"] = run.Id,
            ["account_id"] = run.AccountId,
            ["async_status"] = done ? "Job Completed" : "Job Running",
            ["async_percent_completion"] = percent,
            ["date_start"] = run.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["date_stop"] = run.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["is_running"] = !done,
        });
    }

    /// <summary>The update is applied, but the client hears a 500: what a lost answer looks like from the client's side.</summary>
    private static IResult LoseAnswerAfterWrite(FakeMetaState state, IResult applied)
    {
        if (state.Faults.LoseNextWriteAnswers <= 0)
        {
            return applied;
        }
        state.Faults.LoseNextWriteAnswers--;
        return Error(500, 2, null, "An unexpected error has occurred. Please retry your request later.", transient: true);
    }

    private static IResult Update(FakeMetaState state, TimeProvider time, FakeMetaObject target, Func<string, string?> param)
    {
        var status = param("status");
        var budget = param("daily_budget");
        if (status is not null && status is not ("ACTIVE" or "PAUSED" or "ARCHIVED" or "DELETED"))
        {
            return Error(400, 100, 1815142, $"(#100) Param status must be one of {{ACTIVE, PAUSED, DELETED, ARCHIVED}}", transient: false);
        }
        long? minor = null;
        if (budget is not null)
        {
            if (!long.TryParse(budget, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 100)
            {
                return Error(400, 100, 1885272, "(#100) daily_budget must be a whole number of the account currency's minor unit, at least 100.", transient: false);
            }
            if (target.Kind == "ad")
            {
                return Error(400, 100, null, "(#100) Ads have no budget.", transient: false);
            }
            minor = parsed;
        }
        if (status is null && minor is null)
        {
            return Error(400, 100, null, "(#100) Nothing to update.", transient: false);
        }
        if (status is not null)
        {
            target.Status = status;
        }
        if (minor is not null)
        {
            target.DailyBudgetMinor = minor;
        }
        state.Updates.Add(new FakeMetaUpdate(target.Id, status, minor, time.GetUtcNow()));
        return Results.Json(new { success = true });
    }

    private static List<JsonObject> InsightRows(FakeMetaState state, string accountId, DateOnly since, DateOnly until, HashSet<string>? fields)
    {
        var ads = state.Objects.Where(o => o.AccountId == accountId && o.Kind == "ad").ToDictionary(o => o.Id);
        return state.Insights
            .Where(i => ads.ContainsKey(i.AdId) && i.Date >= since && i.Date <= until)
            .OrderBy(i => i.Date).ThenBy(i => i.AdId, StringComparer.Ordinal)
            .Select(i => InsightJson(i, ads[i.AdId], state, fields))
            .ToList();
    }

    private static JsonObject InsightJson(FakeInsightRow row, FakeMetaObject ad, FakeMetaState state, HashSet<string>? fields)
    {
        var adSet = ad.AdSetId is null ? null : state.Find(ad.AdSetId);
        var campaign = ad.CampaignId is null ? null : state.Find(ad.CampaignId);
        string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
        var all = new JsonObject
        {
            ["account_id"] = ad.AccountId,
            ["campaign_id"] = ad.CampaignId,
            ["campaign_name"] = campaign?.Name,
            ["adset_id"] = ad.AdSetId,
            ["adset_name"] = adSet?.Name,
            ["ad_id"] = ad.Id,
            ["ad_name"] = ad.Name,
            ["spend"] = Money(row.Spend),
            ["impressions"] = Number(row.Impressions),
            ["reach"] = Number(row.Reach),
            ["frequency"] = row.Reach == 0 ? "0" : ((double)row.Impressions / row.Reach).ToString("0.######", CultureInfo.InvariantCulture),
            ["clicks"] = Number(row.Clicks),
            ["inline_link_clicks"] = Number(row.LinkClicks),
            ["ctr"] = row.Impressions == 0 ? "0" : (100.0 * row.Clicks / row.Impressions).ToString("0.######", CultureInfo.InvariantCulture),
        };
        if (row.Purchases > 0 || row.LinkClicks > 0)
        {
            // The same purchases under three action types: a client that sums them counts each purchase three times.
            var actions = new JsonArray { Action("link_click", Number(row.LinkClicks)) };
            var values = new JsonArray();
            if (row.Purchases > 0)
            {
                foreach (var type in (string[])["offsite_conversion.fb_pixel_purchase", "purchase", "omni_purchase"])
                {
                    actions.Add(Action(type, Number(row.Purchases)));
                    values.Add(Action(type, Money(row.PurchaseValue)));
                }
            }
            all["actions"] = actions;
            if (values.Count > 0)
            {
                all["action_values"] = values;
            }
        }
        var result = new JsonObject();
        foreach (var (name, value) in all)
        {
            // Missing metrics are omitted, never sent as zero rows; unrequested fields are not sent.
            if (value is not null && (fields is null || fields.Contains(name)))
            {
                result[name] = value.DeepClone();
            }
        }
        result["date_start"] = row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        result["date_stop"] = row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return result;
    }

    private static JsonObject Action(string type, string value) => new() { ["action_type"] = type, ["value"] = value };

    private static JsonObject AccountJson(FakeAdAccount account) => new()
    {
        ["id"] = "act_" + account.AccountId,
        ["account_id"] = account.AccountId,
        ["name"] = account.Name,
        ["currency"] = account.Currency,
        ["timezone_name"] = account.TimeZone,
        ["account_status"] = 1,
    };

    private static JsonObject ObjectJson(FakeMetaObject o)
    {
        var json = new JsonObject
        {
            ["id"] = o.Id,
            ["name"] = o.Name,
            ["status"] = o.Status,
            ["effective_status"] = o.Status,
            ["created_time"] = o.CreatedTime.ToString("yyyy-MM-dd'T'HH:mm:ss+0000", CultureInfo.InvariantCulture),
        };
        if (o.Kind == "campaign")
        {
            json["objective"] = o.Objective;
        }
        if (o.CampaignId is not null)
        {
            json["campaign_id"] = o.CampaignId;
        }
        if (o.AdSetId is not null)
        {
            json["adset_id"] = o.AdSetId;
        }
        if (o.DailyBudgetMinor is { } budget)
        {
            json["daily_budget"] = budget.ToString(CultureInfo.InvariantCulture);
        }
        return json;
    }

    /// <summary>Cursor paging as Meta does it: <c>paging.cursors</c> always, <c>paging.next</c> only when more rows exist.</summary>
    private static IResult Page(HttpContext context, string version, List<JsonObject> rows)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 500) : 25;
        var start = query["after"].FirstOrDefault() is { } after && TryCursor(after, out var index) ? index : 0;
        var page = rows.Skip(start).Take(limit).ToList();
        var body = new JsonObject { ["data"] = new JsonArray([.. page]) };
        if (page.Count > 0)
        {
            var paging = new JsonObject
            {
                ["cursors"] = new JsonObject { ["before"] = Cursor(start), ["after"] = Cursor(start + page.Count - 1 + 1) },
            };
            if (start + page.Count < rows.Count)
            {
                var next = new Dictionary<string, string?>(query.Where(q => q.Key != "after").ToDictionary(q => q.Key, q => (string?)q.Value.ToString()))
                {
                    ["after"] = Cursor(start + page.Count),
                };
                var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}/{version}{context.Request.Path.Value![(version.Length + 1)..]}";
                paging["next"] = QueryHelpers.AddQueryString(baseUrl, next);
            }
            body["paging"] = paging;
        }
        return Results.Text(body.ToJsonString(Json), "application/json");
    }

    private static string Cursor(int index) => Convert.ToBase64String(Encoding.UTF8.GetBytes("row:" + index.ToString(CultureInfo.InvariantCulture)));

    private static bool TryCursor(string cursor, out int index)
    {
        index = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("row:", StringComparison.Ordinal) && int.TryParse(text[4..], NumberStyles.None, CultureInfo.InvariantCulture, out index);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryRange(string? json, out DateOnly since, out DateOnly until)
    {
        since = until = default;
        if (json is null)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("since", out var s) && DateOnly.TryParseExact(s.GetString(), "yyyy-MM-dd", out since)
                && document.RootElement.TryGetProperty("until", out var u) && DateOnly.TryParseExact(u.GetString(), "yyyy-MM-dd", out until)
                && since <= until;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static FakeAdAccount? Account(FakeMetaState state, string segment) =>
        segment.StartsWith("act_", StringComparison.Ordinal) ? state.Accounts.FirstOrDefault(a => a.AccountId == segment[4..]) : null;

    /// <summary>The object, with its creative node inline when the fields ask for <c>creative{…}</c> (or <c>creative.…{…}</c>).</summary>
    private static JsonObject WithCreative(FakeMetaObject o, string? fields)
    {
        var json = ObjectJson(o);
        if (o.Creative is not null && fields is not null && fields.Contains("creative", StringComparison.Ordinal))
        {
            json["creative"] = o.Creative.DeepClone();
        }
        return json;
    }

    private static string Kind(string edge) => edge switch { "campaigns" => "campaign", "adsets" => "adset", _ => "ad" };

    private static string? BearerToken(HttpContext context) =>
        context.Request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;

    private static void WriteUsage(HttpContext context, int percent, int regainMinutes) =>
        context.Response.Headers["X-Business-Use-Case-Usage"] = JsonSerializer.Serialize(new Dictionary<string, object[]>
        {
            ["1"] = [new { type = "ads_management", call_count = percent, total_cputime = Math.Min(percent, 10), total_time = Math.Min(percent, 10), estimated_time_to_regain_access = regainMinutes }],
        });

    private static IResult Error(int status, int code, int? subcode, string message, bool transient, string type = "OAuthException",
        string? userTitle = null, string? userMessage = null)
    {
        var error = new Dictionary<string, object?>
        {
            ["message"] = message,
            ["type"] = type,
            ["code"] = code,
            ["is_transient"] = transient,
            ["fbtrace_id"] = "Afake" + Guid.NewGuid().ToString("N")[..12],
        };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }
        if (userTitle is not null)
        {
            error["error_user_title"] = userTitle;
            error["error_user_msg"] = userMessage;
        }
        return Results.Json(new { error }, statusCode: status);
    }
}
