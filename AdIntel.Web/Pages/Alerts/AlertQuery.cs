using System.Globalization;
using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Alerts;

/// <summary>
/// The filters of the alerts list, as the API and the page take them from the query string: status, severity and source
/// (comma-separated lists), entityType and entityId, from and to (store-local days of the alert's last sighting), and the
/// cursor and limit of paging.
/// </summary>
public sealed record AlertFilter
{
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyList<string> Severities { get; init; } = [];
    public IReadOnlyList<string> Sources { get; init; } = [];
    public string? EntityType { get; init; }
    public long? EntityId { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    /// <summary>Alerts older than this id (the previous page's next cursor).</summary>
    public long? Before { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The value of a list filter that means every value.</summary>
    public const string All = "all";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Reads the filters; the problems (parameter → message) are empty when the query is good.</summary>
    public static (AlertFilter Filter, Dictionary<string, string> Problems) Parse(IQueryCollection query)
    {
        var problems = new Dictionary<string, string>();
        IReadOnlyList<string> List(string name, IReadOnlyList<string> valid)
        {
            var values = query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => v.ToLowerInvariant()).Distinct().ToList();
            if (values.Contains(All))
            {
                return [];
            }
            if (values.FirstOrDefault(v => !valid.Contains(v)) is { } unknown)
            {
                problems[name] = $"Unknown {name} \"{unknown}\"; use {string.Join(", ", valid)} (several separated by commas) or all.";
            }
            return values;
        }
        DateOnly? Day(string name)
        {
            var text = query[name].ToString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }
            problems[name] = $"{name} must be a date as yyyy-MM-dd.";
            return null;
        }
        long? Long(string name, string message)
        {
            var text = query[name].ToString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                return value;
            }
            problems[name] = message;
            return null;
        }

        var filter = new AlertFilter
        {
            Statuses = List("status", AlertStatuses.All),
            Severities = List("severity", AlertSeverities.All),
            Sources = List("source", AlertSources.All),
            EntityType = string.IsNullOrWhiteSpace(query["entityType"]) ? null : query["entityType"].ToString().Trim(),
            EntityId = Long("entityId", "entityId must be a positive whole number."),
            From = Day("from"),
            To = Day("to"),
            Before = Long("cursor", "cursor must be the page.next value of a previous page."),
            Limit = (int)(Long("limit", $"limit must be between 1 and {MaxLimit}.") ?? DefaultLimit),
        };
        if (filter.Limit > MaxLimit)
        {
            problems["limit"] = $"limit must be between 1 and {MaxLimit}.";
        }
        if (filter.From > filter.To)
        {
            problems["to"] = "to must not be before from.";
        }
        return (filter, problems);
    }
}

/// <summary>Reads the store's alerts: filtered pages, newest first, and the summary counts.</summary>
public sealed class AlertQuery(AdIntelDbContext db, StoreClock clock)
{
    public sealed record Page(IReadOnlyList<Alert> Alerts, string? Next);

    public async Task<Page> ListAsync(AlertFilter filter, CancellationToken cancellationToken)
    {
        var query = db.Alerts.AsNoTracking();
        if (filter.Statuses.Count > 0)
        {
            query = query.Where(a => filter.Statuses.Contains(a.Status));
        }
        if (filter.Severities.Count > 0)
        {
            query = query.Where(a => filter.Severities.Contains(a.Severity));
        }
        if (filter.Sources.Count > 0)
        {
            query = query.Where(a => filter.Sources.Contains(a.Source));
        }
        if (filter.EntityType is { } entityType)
        {
            query = query.Where(a => a.EntityType == entityType);
        }
        if (filter.EntityId is { } entityId)
        {
            query = query.Where(a => a.EntityId == entityId);
        }
        if (filter.From is not null || filter.To is not null)
        {
            var zone = (await clock.GetCalendarAsync(cancellationToken)).TimeZone;
            if (filter.From is { } from)
            {
                var start = StartUtc(from, zone);
                query = query.Where(a => a.LastSeenAtUtc >= start);
            }
            if (filter.To is { } to)
            {
                var end = StartUtc(to.AddDays(1), zone);
                query = query.Where(a => a.LastSeenAtUtc < end);
            }
        }
        if (filter.Before is { } before)
        {
            query = query.Where(a => a.Id < before);
        }
        var rows = await query.OrderByDescending(a => a.Id).Take(filter.Limit + 1).ToListAsync(cancellationToken);
        var next = rows.Count > filter.Limit ? rows[filter.Limit - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return new Page([.. rows.Take(filter.Limit)], next);
    }

    /// <summary>Alerts waiting for someone: open (neither acknowledged nor snoozed).</summary>
    public Task<int> CountOpenAsync(CancellationToken cancellationToken) =>
        db.Alerts.CountAsync(a => a.Status == AlertStatuses.Open, cancellationToken);

    /// <summary>Counts of every alert by status; of the active ones by severity and source; open critical and high ones.</summary>
    public async Task<AlertSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Alerts.AsNoTracking()
            .GroupBy(a => new { a.Status, a.Severity, a.Source })
            .Select(g => new { g.Key.Status, g.Key.Severity, g.Key.Source, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var active = rows.Where(r => AlertStatuses.IsActive(r.Status)).ToList();
        var open = rows.Where(r => r.Status == AlertStatuses.Open).ToList();
        return new AlertSummary(
            AlertStatuses.All.ToDictionary(s => s, s => rows.Where(r => r.Status == s).Sum(r => r.Count)),
            AlertSeverities.All.ToDictionary(s => s, s => active.Where(r => r.Severity == s).Sum(r => r.Count)),
            AlertSources.All.ToDictionary(s => s, s => active.Where(r => r.Source == s).Sum(r => r.Count)),
            active.Sum(r => r.Count),
            open.Where(r => r.Severity == AlertSeverities.Critical).Sum(r => r.Count),
            open.Where(r => r.Severity == AlertSeverities.High).Sum(r => r.Count));
    }

    private static DateTime StartUtc(DateOnly day, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);
}

/// <param name="ByStatus">Every alert, by status.</param>
/// <param name="BySeverity">Active alerts (open, acknowledged, snoozed), by severity.</param>
/// <param name="BySource">Active alerts, by source.</param>
public sealed record AlertSummary(IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> BySeverity,
    IReadOnlyDictionary<string, int> BySource, int Active, int OpenCritical, int OpenHigh);

/// <summary>An alert as the API shows it.</summary>
public sealed record AlertView(long Id, string Source, string Type, string Severity, string Status, string Title, string Message, string? NextStep,
    AlertEntityView Entity, AlertEvidence Evidence, int Occurrences, DateTime CreatedAt, DateTime LastSeenAt, DateTime? AcknowledgedAt,
    DateTime? SnoozedUntil, DateTime? ResolvedAt, string? UpdatedBy)
{
    public static AlertView From(Alert alert) => new(alert.Id, alert.Source, alert.Type, alert.Severity, alert.Status, alert.Title, alert.Message,
        alert.Recommendation, new AlertEntityView(alert.EntityType, alert.EntityId, alert.EntityName), AlertWriter.ReadEvidence(alert),
        alert.Occurrences, Utc(alert.CreatedAtUtc), Utc(alert.LastSeenAtUtc), Utc(alert.AcknowledgedAtUtc), Utc(alert.SnoozedUntilUtc),
        Utc(alert.ResolvedAtUtc), alert.UpdatedBy);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}

public sealed record AlertEntityView(string Type, long? Id, string? Name);
