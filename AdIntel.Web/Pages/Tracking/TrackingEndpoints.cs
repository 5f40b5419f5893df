using System.Globalization;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Tracking;
using AdIntel.Web.Integrations.Meta.Capi;

namespace AdIntel.Web.Pages.Tracking;

/// <summary>
/// <c>/api/tracking</c>: <c>GET health</c> (Pixel and Conversions API status, purchase coverage per day, deduplication,
/// Event Match Quality, freshness), <c>GET diagnose</c> (named problems with evidence and dates), <c>GET
/// recommendations</c> (what to do about them) — each over <c>?days=</c> (7–365, default 60) — and <c>POST
/// verify-events</c> (a test Purchase through the Conversions API; Meta's answer). Ratios to 4 decimals (Meta's
/// percentages as ratios), dates in the store's time zone except the dataset's event days (UTC, as Meta counts them).
/// </summary>
public static class TrackingEndpoints
{
    public static RouteGroupBuilder MapTrackingEndpoints(this RouteGroupBuilder api)
    {
        var tracking = api.MapGroup("/tracking");
        tracking.MapGet("/health", HealthAsync).RequireAuthorization(Policies.Viewer);
        tracking.MapGet("/diagnose", DiagnoseAsync).RequireAuthorization(Policies.Viewer);
        tracking.MapGet("/recommendations", RecommendationsAsync).RequireAuthorization(Policies.Viewer);
        tracking.MapPost("/verify-events", VerifyAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    public sealed record VerifyRequest(string? TestEventCode, TestCustomer? Customer);

    private static async Task<IResult> HealthAsync(string? days, TrackingReportBuilder builder, CancellationToken cancellationToken)
    {
        if (ParseDays(days) is not { } window)
        {
            return DaysError();
        }
        var report = await builder.BuildAsync(window, cancellationToken);
        var dataset = report.Dataset;
        return ApiResults.Ok(new
        {
            status = report.Status,
            note = report.Note,
            metaConnected = report.MetaConnected,
            period = new { from = report.From, to = report.Today.AddDays(-1) },
            automationHeld = report.Breaker.Broken,
            breaker = report.Breaker.Explanation,
            dataset = dataset is null ? null : new
            {
                id = dataset.DatasetId,
                name = dataset.Name,
                isUnavailable = dataset.IsUnavailable,
                lastFiredAt = dataset.LastFiredAtUtc,
                testEventCode = dataset.TestEventCode,
            },
            pixel = Source(report.Pixel),
            conversionsApi = Source(report.ConversionsApi),
            coverage = new
            {
                last7Days = report.Coverage7d,
                days = report.Coverage.Select(d => new
                {
                    date = d.Date,
                    orders = d.Orders,
                    metaPurchases = Math.Round(d.MetaPurchases, 2),
                    coverage = d.Coverage,
                    broken = d.Broken,
                    browserPurchases = d.BrowserPurchases,
                    serverPurchases = d.ServerPurchases,
                }).ToList(),
            },
            deduplication = dataset is null ? null : new
            {
                eventIdShare = report.DedupShare,
                browserEventIdShare = Ratio(dataset.BrowserEventIdPercent),
                serverEventIdShare = Ratio(dataset.ServerEventIdPercent),
                serverCoverage = Ratio(dataset.EventCoveragePercent),
            },
            matchQuality = dataset is null ? null : new
            {
                score = dataset.MatchQuality,
                keys = report.MatchKeys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new { key = k.Key, share = Ratio(k.Value) }).ToList(),
            },
            freshness = new
            {
                lastEventAt = dataset?.LastFiredAtUtc,
                lastDatasetSyncAt = dataset?.SyncedAtUtc,
                lastMetaSyncAt = report.LastMetaSyncUtc,
                factsThrough = report.FactsThrough,
            },
        });
    }

    private static async Task<IResult> DiagnoseAsync(string? days, TrackingReportBuilder builder, CancellationToken cancellationToken)
    {
        if (ParseDays(days) is not { } window)
        {
            return DaysError();
        }
        var report = await builder.BuildAsync(window, cancellationToken);
        return ApiResults.Ok(new
        {
            status = report.Status,
            note = report.Note,
            automationHeld = report.Breaker.Broken,
            problems = report.Problems.Select(p => new
            {
                code = p.Code,
                severity = p.Severity,
                current = p.Current,
                breaksTracking = p.BreaksTracking,
                title = p.Title,
                message = p.Message,
                since = p.Since,
                until = p.Until,
                evidence = p.Figures.Select(f => new { label = f.Label, value = f.Value, unit = f.Unit }).ToList(),
                nextStep = p.NextStep,
            }).ToList(),
        });
    }

    private static async Task<IResult> RecommendationsAsync(string? days, TrackingReportBuilder builder, CancellationToken cancellationToken)
    {
        if (ParseDays(days) is not { } window)
        {
            return DaysError();
        }
        var report = await builder.BuildAsync(window, cancellationToken);
        return ApiResults.Ok(TrackingRecommendations.From(report).Select(r => new
        {
            code = r.Code,
            priority = r.Priority,
            title = r.Title,
            why = r.Why,
        }).ToList());
    }

    private static async Task<IResult> VerifyAsync(VerifyRequest? request, TestEventSender sender, CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync(string.IsNullOrWhiteSpace(request?.TestEventCode) ? null : request.TestEventCode.Trim(),
            request?.Customer ?? new TestCustomer(), cancellationToken);
        if (result.Problem is not null)
        {
            var status = result.ProblemCode switch
            {
                "meta_not_connected" or "no_dataset" => StatusCodes.Status409Conflict,
                "invalid_test_event_code" or "invalid_customer" => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status422UnprocessableEntity,
            };
            return ApiResults.Error(status, result.ProblemCode!, result.Problem);
        }
        var answer = result.Answer!;
        return ApiResults.Ok(new
        {
            accepted = answer.Accepted,
            datasetId = result.DatasetId,
            testEventCode = result.TestEventCode,
            eventId = result.EventId,
            userData = result.UserData,
            meta = answer.Accepted
                ? (object)new { eventsReceived = answer.EventsReceived, messages = answer.Messages, fbtraceId = answer.TraceId }
                : new
                {
                    error = new
                    {
                        code = answer.Error!.Code,
                        subcode = answer.Error.Subcode,
                        message = answer.Error.Message,
                        userTitle = answer.Error.UserTitle,
                        userMessage = answer.Error.UserMessage,
                        fbtraceId = answer.Error.TraceId,
                    },
                },
        });
    }

    private static object Source(SourceStatus source) => new { status = source.Status, summary = source.Summary, purchases7d = source.Purchases7d };

    private static decimal? Ratio(decimal? percent) => percent is { } p ? Math.Round(p / 100, 4) : null;

    internal static int? ParseDays(string? days) =>
        days is null ? TrackingMonitor.DefaultDays
        : int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= TrackingReportBuilder.MinDays and <= TrackingReportBuilder.MaxDays ? n
        : null;

    private static IResult DaysError() =>
        ApiResults.BadRequest($"days must be a whole number from {TrackingReportBuilder.MinDays} to {TrackingReportBuilder.MaxDays}.", new { days = "out of range" });
}
