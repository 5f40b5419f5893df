using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tracking;

/// <summary>One store day of purchase coverage: Shopify's orders against Meta's purchases (and, when synced, the dataset's by source).</summary>
public sealed record CoverageDay(DateOnly Date, int Orders, decimal MetaPurchases, decimal? Coverage, bool Broken, long? BrowserPurchases, long? ServerPurchases);

/// <summary>A status card's verdict: active, silent, missing, not_set_up, unavailable or unknown, with a sentence.</summary>
public sealed record SourceStatus(string Status, string Summary, long? Purchases7d);

/// <summary>Everything the tracking page and <c>/api/tracking/*</c> show, from one reading of the evidence.</summary>
public sealed record TrackingReport
{
    public required DateOnly Today { get; init; }
    public required DateOnly From { get; init; }
    public required bool MetaConnected { get; init; }
    /// <summary>healthy, warning or broken.</summary>
    public required string Status { get; init; }
    public required TrackingStatus Breaker { get; init; }
    public TrackingDataset? Dataset { get; init; }
    public required SourceStatus Pixel { get; init; }
    public required SourceStatus ConversionsApi { get; init; }
    public required IReadOnlyList<CoverageDay> Coverage { get; init; }
    /// <summary>Meta purchases per Shopify order over the last 7 complete days; null without orders.</summary>
    public decimal? Coverage7d { get; init; }
    /// <summary>Share (0–1) of purchases Meta can merge across browser and server by event_id; null when unknown.</summary>
    public decimal? DedupShare { get; init; }
    public IReadOnlyDictionary<string, decimal> MatchKeys { get; init; } = new Dictionary<string, decimal>();
    public DateTime? LastMetaSyncUtc { get; init; }
    public DateOnly? FactsThrough { get; init; }
    public required IReadOnlyList<TrackingProblem> Problems { get; init; }

    /// <summary>Why parts are missing, for a store without Meta or without a synced dataset.</summary>
    public string? Note => !MetaConnected
        ? "Connect Meta (Settings → Integrations) to see Pixel and Conversions API status, deduplication and Event Match Quality. Coverage below compares Meta's purchases from your imports with Shopify orders."
        : Dataset is null ? "No Meta pixel synced yet: the next Meta sync reads it (or create one in Events Manager)." : null;
}

/// <summary>Builds the <see cref="TrackingReport"/> of the current store for a window of days.</summary>
public sealed class TrackingReportBuilder(AdIntelDbContext db, TrackingMonitor monitor)
{
    public const int MinDays = 7;
    public const int MaxDays = 365;

    public async Task<TrackingReport> BuildAsync(int days, CancellationToken cancellationToken)
    {
        var evidence = await monitor.LoadAsync(days, null, cancellationToken);
        var problems = TrackingDiagnosis.Diagnose(evidence);
        var breaker = TrackingDiagnosis.Status(evidence, problems);
        var brokenDays = problems.Where(p => p.Code == "coverage_drop" && p.Since is not null)
            .SelectMany(p => Enumerable.Range(0, p.Until!.Value.DayNumber - p.Since!.Value.DayNumber + 1).Select(i => p.Since!.Value.AddDays(i)))
            .ToHashSet();
        var events = evidence.PurchaseDays.ToDictionary(d => d.Date);
        var coverage = evidence.Facts.Where(f => f.Date >= evidence.From)
            .Select(f => new CoverageDay(f.Date, f.Orders, f.PlatformPurchases, f.Orders > 0 ? Math.Round(f.PlatformPurchases / f.Orders, 4) : null,
                brokenDays.Contains(f.Date), events.GetValueOrDefault(f.Date)?.BrowserCount, events.GetValueOrDefault(f.Date)?.ServerCount))
            .ToList();
        var week = evidence.Facts.Where(f => f.Date >= evidence.Today.AddDays(-7)).ToList();
        var weekOrders = week.Sum(f => f.Orders);
        var lastMetaSync = await db.IntegrationConnections.AsNoTracking().Where(c => c.Provider == IntegrationProviders.Meta)
            .Select(c => c.LastSyncSucceededAtUtc).FirstOrDefaultAsync(cancellationToken);
        var dataset = evidence.Dataset;
        return new TrackingReport
        {
            Today = evidence.Today,
            From = evidence.From,
            MetaConnected = evidence.MetaConnected,
            Status = problems.Any(p => p.Current && p.BreaksTracking) || breaker.Broken ? "broken"
                : problems.Any(p => p.Current && AlertSeverities.Rank(p.Severity) >= AlertSeverities.Rank(AlertSeverities.Medium)) ? "warning" : "healthy",
            Breaker = breaker,
            Dataset = dataset,
            Pixel = PixelStatus(evidence, problems),
            ConversionsApi = ServerStatus(evidence, problems),
            Coverage = coverage,
            Coverage7d = weekOrders > 0 ? Math.Round(week.Sum(f => f.PlatformPurchases) / weekOrders, 4) : null,
            DedupShare = dataset is null || TrackingDiagnosis.DedupPercent(dataset) is not { } share ? null : Math.Round(share / 100, 4),
            MatchKeys = dataset is null ? new Dictionary<string, decimal>() : TrackingDiagnosis.MatchKeyCoverage(dataset),
            LastMetaSyncUtc = lastMetaSync,
            FactsThrough = evidence.Facts.LastOrDefault(f => f.Orders > 0 || f.AdSpend > 0)?.Date,
            Problems = problems,
        };
    }

    private static SourceStatus PixelStatus(TrackingEvidence evidence, IReadOnlyList<TrackingProblem> problems)
    {
        if (evidence.Dataset is not { } dataset)
        {
            return new SourceStatus("unknown", evidence.MetaConnected ? "Not synced yet." : "Connect Meta to see the pixel's status.", null);
        }
        var week = evidence.PurchaseDays.Where(d => d.Date >= evidence.Today.AddDays(-7)).Sum(d => d.BrowserCount);
        if (dataset.IsUnavailable)
        {
            return new SourceStatus("unavailable", $"Meta reports \"{dataset.Name}\" as unavailable.", week);
        }
        return problems.Any(p => p.Current && p.Code == "events_not_received")
            ? new SourceStatus("silent", "No purchases received recently.", week)
            : week > 0 ? new SourceStatus("active", $"{week} purchases from the browser in the last 7 days.", week)
            : new SourceStatus("silent", "No browser purchases in the last 7 days.", week);
    }

    private static SourceStatus ServerStatus(TrackingEvidence evidence, IReadOnlyList<TrackingProblem> problems)
    {
        if (evidence.Dataset is null)
        {
            return new SourceStatus("unknown", evidence.MetaConnected ? "Not synced yet." : "Connect Meta to see the Conversions API's status.", null);
        }
        var week = evidence.PurchaseDays.Where(d => d.Date >= evidence.Today.AddDays(-7)).Sum(d => d.ServerCount);
        if (problems.FirstOrDefault(p => p.Current && p.Code is "server_purchases_missing" or "no_conversions_api") is { } problem)
        {
            return new SourceStatus(problem.Code == "no_conversions_api" ? "not_set_up" : "missing", problem.Title + ".", week);
        }
        return week > 0 ? new SourceStatus("active", $"{week} purchases from the server in the last 7 days.", week)
            : new SourceStatus("silent", "No server purchases in the last 7 days.", week);
    }
}
