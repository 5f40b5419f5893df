using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports.Benchmarks;

/// <summary>Where the store's own figure lies among the pooled stores' figures.</summary>
public enum CommunityPosition
{
    BelowP25,
    P25ToP50,
    P50ToP75,
    AboveP75,
}

/// <summary>
/// One KPI of the pool: the store's own figure and, when at least <see cref="CommunityBenchmarks.MinimumStores"/> stores
/// have one, the 25th, 50th and 75th percentiles of the pooled stores' figures (null otherwise).
/// </summary>
public sealed record CommunityMetric(string Metric, string Label, string Unit, bool HigherIsBetter, decimal? StoreValue, int Stores,
    decimal? P25, decimal? P50, decimal? P75)
{
    public bool HasPercentiles => P50 is not null;

    public CommunityPosition? Position => StoreValue is not { } value || P25 is not { } p25 || P50 is not { } p50 || P75 is not { } p75
        ? null
        : value < p25 ? CommunityPosition.BelowP25 : value < p50 ? CommunityPosition.P25ToP50 : value <= p75 ? CommunityPosition.P50ToP75 : CommunityPosition.AboveP75;
}

/// <summary>
/// The "stores like yours" comparison: <paramref name="OptedIn"/> says whether this store shares its figures (only a
/// store that shares sees the pool's); <paramref name="Contributors"/> counts the opted-in stores with figures for the period.
/// </summary>
public sealed record CommunityBenchmarkReport(bool OptedIn, int Contributors, IReadOnlyList<CommunityMetric> Metrics)
{
    public int MinimumStores => CommunityBenchmarks.MinimumStores;
}

/// <summary>
/// Pooled benchmarks across the stores of this installation whose owners opted in (Settings → Community). Each opted-in
/// store's period KPIs are computed by the metrics module in that store's own scope, exactly as its overview shows them;
/// only those aggregate figures enter the pool, never a name, id or row, and the pool is reported as percentiles only,
/// per KPI once at least <see cref="MinimumStores"/> stores have a figure. Money KPIs are pooled among stores selling in
/// the same currency. Demo stores are never pooled (their data is generated). Read on every request, so a store that
/// opts out leaves the pool at once.
/// </summary>
public sealed class CommunityBenchmarks(AdIntelDbContext db, IServiceScopeFactory scopes)
{
    /// <summary>Fewer stores than this and a percentile would come too close to one store's own figure.</summary>
    public const int MinimumStores = 5;

    private sealed record Kpi(string Metric, string Label, string Unit, bool HigherIsBetter, bool IsMoney, Func<KpiSet, decimal?> Read);

    private static readonly Kpi[] Kpis =
    [
        new("mer", "MER", "ratio", true, false, k => k.Mer),
        new("roas", "ROAS", "ratio", true, false, k => k.Roas),
        new("cac", "CAC", "money", false, true, k => k.Cac),
        new("aov", "AOV", "money", true, true, k => k.Aov),
        new("contributionMarginPercent", "Contribution margin % of net sales", "percent", true, false,
            k => KpiCalculator.Ratio(k.ContributionMargin, k.NetSales)),
    ];

    /// <summary>The pool for <paramref name="range"/>, with <paramref name="own"/> (the current store's KPIs for it) placed in it.</summary>
    public async Task<CommunityBenchmarkReport> BuildAsync(DateRange range, KpiSet own, string currency, CancellationToken cancellationToken)
    {
        var storeId = db.StoreContext.RequiredStoreId;
        var pooled = await db.StoreSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.CommunityBenchmarks)
            .Join(db.Stores.Where(s => !s.IsDemo), s => s.StoreId, store => store.Id, (s, store) => new { store.Id, store.Currency })
            .ToListAsync(cancellationToken);
        var optedIn = pooled.Any(p => p.Id == storeId);
        var figures = new List<(string Currency, KpiSet Kpis)>();
        if (optedIn)
        {
            foreach (var store in pooled)
            {
                figures.Add((store.Currency, store.Id == storeId ? own : await KpisOfAsync(store.Id, range, cancellationToken)));
            }
        }
        var contributors = figures.Count(f => Kpis.Any(kpi => kpi.Read(f.Kpis) is not null));
        var metrics = Kpis.Select(kpi =>
        {
            var values = figures
                .Where(f => !kpi.IsMoney || string.Equals(f.Currency, currency, StringComparison.OrdinalIgnoreCase))
                .Select(f => kpi.Read(f.Kpis)).OfType<decimal>().ToList();
            var enough = values.Count >= MinimumStores;
            return new CommunityMetric(kpi.Metric, kpi.Label, kpi.Unit, kpi.HigherIsBetter, kpi.Read(own), values.Count,
                enough ? Percentile(values, 0.25m) : null, enough ? Percentile(values, 0.50m) : null, enough ? Percentile(values, 0.75m) : null);
        }).ToList();
        return new CommunityBenchmarkReport(optedIn, contributors, metrics);
    }

    /// <summary>
    /// The <paramref name="p"/>-th percentile with linear interpolation between closest ranks (rank (n − 1)·p over the
    /// sorted values; Excel's PERCENTILE.INC, NumPy's default).
    /// </summary>
    public static decimal Percentile(IReadOnlyCollection<decimal> values, decimal p)
    {
        var sorted = values.Order().ToArray();
        var rank = (sorted.Length - 1) * p;
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }

    private async Task<KpiSet> KpisOfAsync(long storeId, DateRange range, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        return await scope.ServiceProvider.GetRequiredService<MetricsService>().GetKpisAsync(range, cancellationToken);
    }
}
