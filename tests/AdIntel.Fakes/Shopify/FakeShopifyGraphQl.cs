using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdIntel.Fakes.Meta;

namespace AdIntel.Fakes.Shopify;

/// <summary>
/// The fake GraphQL Admin API at <c>/shops/{shop}/admin/api/{version}/graphql.json</c>:
/// the access token checked on every call (401 with Shopify's text error otherwise, expired tokens included), the
/// version echoed, a leaky bucket charging the requested cost up front and refunding to the actual cost, THROTTLED
/// (HTTP 200, or 429 when so configured) when the bucket cannot pay, MAX_COST_EXCEEDED above 1000, GraphQL errors for
/// anything it does not understand, bulk operations with JSONL results, and injected faults.
/// </summary>
public static partial class FakeShopifyGraphQl
{
    private const string InvalidToken = "[API] Invalid API key or access token (unrecognized login or wrong password)";
    private const string RateLimitDocs = "https://shopify.dev/api/usage/rate-limits";

    public static void Map(IEndpointRouteBuilder app, FakeShopifyState state, TimeProvider time)
    {
        var faultCounter = 0;

        app.MapPost("/shops/{shop}/admin/api/{version}/graphql.json", async (HttpContext context, string shop, string version) =>
        {
            var admin = state.Admin;
            if (!ApiVersion().IsMatch(version))
            {
                return Results.NotFound();
            }
            context.Response.Headers["X-Shopify-API-Version"] = version;
            context.Response.Headers["X-Request-Id"] = Guid.NewGuid().ToString();
            var now = time.GetUtcNow();
            var token = context.Request.Headers["X-Shopify-Access-Token"].ToString();
            if (!FakeShopify.IsValidAccessToken(state, shop, token, now))
            {
                admin.Log(new FakeShopifyCall(now, shop, "", 0, 0, "unauthorized"));
                return Results.Json(new { errors = InvalidToken }, statusCode: 401);
            }

            string? query;
            Dictionary<string, JsonElement> variables;
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                query = body.RootElement.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null;
                variables = body.RootElement.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object
                    ? v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                    : [];
            }
            catch (JsonException)
            {
                return Results.Json(new { errors = new { query = "Required parameter missing or invalid" } }, statusCode: 400);
            }
            if (string.IsNullOrWhiteSpace(query))
            {
                return Results.Json(new { errors = new { query = "Required parameter missing or invalid" } }, statusCode: 400);
            }

            GqlOperation operation;
            int requested;
            try
            {
                operation = FakeGraphQlParser.Parse(query, variables);
                requested = FakeShopifyExecutor.Validate(operation, bulk: false);
            }
            catch (GqlException e)
            {
                admin.Log(new FakeShopifyCall(now, shop, "", 0, 0, "error"));
                return Errors(e.Message, e.Code);
            }
            var root = string.Join(",", operation.Selections.Select(s => s.Name));
            var bucket = admin.Bucket(shop, now);

            var fault = admin.Faults.Next();
            switch (fault)
            {
                case FakeFault.Throttled:
                    admin.Log(new FakeShopifyCall(now, shop, root, requested, bucket.Available(now), "fault:throttled"));
                    if (Interlocked.Increment(ref faultCounter) % 2 == 0)
                    {
                        context.Response.Headers.RetryAfter = "1.0";
                        return Results.Json(new { errors = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }, statusCode: 429);
                    }
                    return Throttled(requested, bucket, now);
                case FakeFault.ServerError:
                    admin.Log(new FakeShopifyCall(now, shop, root, requested, bucket.Available(now), "fault:server"));
                    var status = (Interlocked.Increment(ref faultCounter) % 3) switch { 0 => 500, 1 => 502, _ => 503 };
                    return Results.Text("<html><body><h1>Something went wrong</h1></body></html>", "text/html", statusCode: status);
                case FakeFault.MalformedBody:
                    admin.Log(new FakeShopifyCall(now, shop, root, requested, bucket.Available(now), "fault:malformed"));
                    return Results.Text("{\"data\":{\"orders\":{\"nodes\":[{\"id\":\"gid://shopify/Or", "application/json", statusCode: 200);
                case FakeFault.Slow:
                    await Task.Delay(admin.Faults.SlowDelay, context.RequestAborted);
                    now = time.GetUtcNow();
                    break;
            }
            // A slow answer is still an answer (if the client waited for it): logged once, as the fault it was.
            var answered = fault == FakeFault.Slow ? "fault:slow" : "ok";

            if (requested > admin.MaxQueryCost)
            {
                admin.Log(new FakeShopifyCall(now, shop, root, requested, bucket.Available(now), "max_cost"));
                return Results.Json(new
                {
                    errors = new[]
                    {
                        new
                        {
                            message = $"Query cost is {requested}, which exceeds the single query max cost limit ({admin.MaxQueryCost}).",
                            extensions = new { code = "MAX_COST_EXCEEDED", cost = requested, maxCost = admin.MaxQueryCost, documentation = RateLimitDocs },
                        },
                    },
                });
            }
            var before = bucket.Available(now);
            if (!bucket.TryTake(requested, now, out _))
            {
                admin.Log(new FakeShopifyCall(now, shop, root, requested, before, "throttled"));
                if (admin.ThrottleWithHttp429)
                {
                    context.Response.Headers.RetryAfter = ((requested - before) / bucket.RestoreRate).ToString("0.0", CultureInfo.InvariantCulture);
                    return Results.Json(new { errors = "Throttled" }, statusCode: 429);
                }
                return Throttled(requested, bucket, now);
            }

            var catalog = admin.Catalog(shop);
            var allOrders = state.Scopes.Split(',').Contains("read_all_orders");
            var baseUrl = context.Request.Scheme + "://" + context.Request.Host;
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            int actual;
            double left;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("data");
                writer.WriteStartObject();
                lock (catalog)
                {
                    var executor = new FakeShopifyExecutor(catalog, allOrders, now)
                    {
                        RootResolver = (field, w, ex) => ResolveRoot(field, w, ex, admin, catalog, shop, version, allOrders, now, baseUrl),
                    };
                    try
                    {
                        executor.WriteSelections(writer, operation.Kind == "mutation" ? "Mutation" : "QueryRoot", null, operation.Selections, null);
                    }
                    catch (GqlException e)
                    {
                        bucket.Refund(requested, now);
                        return Errors(e.Message, e.Code);
                    }
                    actual = operation.Kind == "mutation" ? requested : Math.Min(requested, executor.ActualCost);
                }
                writer.WriteEndObject();
                left = bucket.Refund(requested - actual, now);
                writer.WritePropertyName("extensions");
                WriteCost(writer, requested, actual, left, bucket);
                writer.WriteEndObject();
            }
            admin.Log(new FakeShopifyCall(now, shop, root, requested, before, answered, left));
            return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8");
        });

        app.MapGet("/shops/{shop}/bulk-results/{token}.jsonl", async (HttpContext context, string shop, string token) =>
        {
            var admin = state.Admin;
            FakeBulkOperation? operation;
            lock (admin.BulkOperations)
            {
                operation = admin.BulkOperations.Values.FirstOrDefault(o => o.Shop == shop && o.DownloadToken == token);
            }
            if (operation is null || operation.Status != "COMPLETED" || operation.FilePath is null)
            {
                return Results.Text("<Error><Code>NoSuchKey</Code></Error>", "application/xml", statusCode: 404);
            }
            var fault = admin.Faults.Next();
            admin.Log(new FakeShopifyCall(time.GetUtcNow(), shop, "download " + operation.Id, 0, 0, fault switch
            {
                FakeFault.ServerError or FakeFault.Throttled or FakeFault.MalformedBody => "fault:unavailable",
                FakeFault.Slow => "fault:slow",
                _ => "ok",
            }));
            switch (fault)
            {
                case FakeFault.ServerError or FakeFault.Throttled or FakeFault.MalformedBody:
                    return Results.Text("<Error><Code>ServiceUnavailable</Code></Error>", "application/xml", statusCode: 503);
                case FakeFault.Slow:
                    await Task.Delay(admin.Faults.SlowDelay, context.RequestAborted);
                    break;
            }
            if (admin.PauseDownloadAfterRows is { } pauseAfter)
            {
                return Results.Stream(async body =>
                {
                    using var file = new StreamReader(operation.FilePath);
                    var rows = 0;
                    while (await file.ReadLineAsync(context.RequestAborted) is { } line)
                    {
                        if (rows++ == pauseAfter)
                        {
                            await body.FlushAsync(context.RequestAborted);
                            await admin.DownloadsReleased.WaitAsync(context.RequestAborted);
                        }
                        await body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), context.RequestAborted);
                    }
                }, "application/jsonl");
            }
            return Results.File(operation.FilePath, "application/jsonl");
        });
    }

    private static bool ResolveRoot(GqlField field, Utf8JsonWriter writer, FakeShopifyExecutor executor, FakeShopifyAdmin admin, FakeShopifyCatalog catalog,
        string shop, string version, bool allOrders, DateTimeOffset now, string baseUrl)
    {
        switch (field.Name)
        {
            case "bulkOperationRunQuery":
                var payload = FakeShopifyBulk.Run(admin, catalog, shop, version, field.Argument("query") as string, allOrders, now, baseUrl);
                executor.WriteObject(writer, "BulkOperationRunQueryPayload", payload, field.Selections, null);
                return true;
            case "bulkOperationCancel":
                var cancelled = Find(admin, shop, field.Argument("id") as string);
                var errors = new List<object>();
                if (cancelled is null)
                {
                    errors.Add(new FakeShopifyExecutor.FakeUserError(["id"], "Bulk operation does not exist", null));
                }
                else
                {
                    lock (cancelled)
                    {
                        if (cancelled.Status is "CREATED" or "RUNNING")
                        {
                            cancelled.Status = "CANCELED";
                        }
                        else
                        {
                            errors.Add(new FakeShopifyExecutor.FakeUserError(null, $"A bulk operation cannot be canceled when it is {cancelled.Status.ToLowerInvariant()}", null));
                        }
                    }
                }
                executor.WriteObject(writer, "BulkOperationCancelPayload", new FakeShopifyExecutor.FakePayload(cancelled, errors), field.Selections, null);
                return true;
            case "bulkOperation" or "node":
                var found = Find(admin, shop, field.Argument("id") as string);
                if (found is not null)
                {
                    FakeShopifyBulk.Poll(admin, found, now);
                }
                executor.WriteObject(writer, "BulkOperation", found, field.Selections, null);
                return true;
            case "currentBulkOperation":
                FakeBulkOperation? latest;
                lock (admin.BulkOperations)
                {
                    latest = admin.BulkOperations.Values.Where(o => o.Shop == shop).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal).LastOrDefault();
                }
                if (latest is not null)
                {
                    FakeShopifyBulk.Poll(admin, latest, now);
                }
                executor.WriteObject(writer, "BulkOperation", latest, field.Selections, null);
                return true;
            case "shop":
                writer.WriteStartObject();
                foreach (var part in field.Selections)
                {
                    writer.WriteString(part.Alias, part.Name switch
                    {
                        "name" => shop.Split('.')[0],
                        "currencyCode" => catalog.Currency,
                        "ianaTimezone" => catalog.TimeZone,
                        _ => shop,
                    });
                }
                writer.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    private static FakeBulkOperation? Find(FakeShopifyAdmin admin, string shop, string? id)
    {
        lock (admin.BulkOperations)
        {
            return id is not null && admin.BulkOperations.TryGetValue(id, out var operation) && operation.Shop == shop ? operation : null;
        }
    }

    private static IResult Throttled(int requested, FakeShopifyBucket bucket, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("message", "Throttled");
            writer.WriteStartObject("extensions");
            writer.WriteString("code", "THROTTLED");
            writer.WriteString("documentation", RateLimitDocs);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WritePropertyName("extensions");
            WriteCost(writer, requested, null, bucket.Available(now), bucket);
            writer.WriteEndObject();
        }
        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8");
    }

    private static void WriteCost(Utf8JsonWriter writer, int requested, int? actual, double available, FakeShopifyBucket bucket)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("cost");
        writer.WriteNumber("requestedQueryCost", requested);
        if (actual is { } value)
        {
            writer.WriteNumber("actualQueryCost", value);
        }
        else
        {
            writer.WriteNull("actualQueryCost");
        }
        writer.WriteStartObject("throttleStatus");
        writer.WriteNumber("maximumAvailable", Math.Round(bucket.Maximum, 1));
        writer.WriteNumber("currentlyAvailable", (int)Math.Floor(available));
        writer.WriteNumber("restoreRate", Math.Round(bucket.RestoreRate, 1));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static IResult Errors(string message, string code) =>
        Results.Json(new { errors = new[] { new { message, extensions = new { code } } } });

    [GeneratedRegex(@"^\d{4}-\d{2}$")]
    private static partial Regex ApiVersion();
}
