using System.Globalization;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Metrics;

/// <summary>Which side of its target a metric should be: MER above, payback days below.</summary>
public enum TargetDirection
{
    Above,
    Below,
}

/// <summary>One metric's target (strictly above or below), and whether a value meets it.</summary>
/// <param name="Metric">The metric's API key (<see cref="MetricDefinitions"/>).</param>
/// <param name="IsDefault">True when the store never set it and the default applies.</param>
public sealed record KpiTarget(string Metric, TargetDirection Direction, decimal Value, bool IsDefault)
{
    /// <summary>"above" or "below", as the API writes it.</summary>
    public string Comparison => Direction == TargetDirection.Above ? "above" : "below";

    /// <summary>Null when there is no value to judge (a ratio without a denominator).</summary>
    public bool? IsMet(decimal? value) => value is not { } v ? null : Direction == TargetDirection.Above ? v > Value : v < Value;

    /// <summary>"MER above 3.00×", "Payback below 90 days".</summary>
    public string Describe(MetricFormatter format)
    {
        var metric = MetricDefinitions.Get(Metric);
        return $"{metric.Label} {Comparison} {format.Format(metric.Format, Value)}";
    }
}

/// <summary>
/// A store's targets (Settings → Targets), with the defaults filled in: MER above 3, ROAS above 2, LTV:CAC above 3,
/// payback below 90 days (the product guide's targets), POAS above 1.5 (50% headroom over break-even, where
/// practitioners start scaling), and a cost per purchase below the store's target CPA, which by default is break-even:
/// the contribution margin one order leaves before ads (<see cref="BreakEvenCpa"/>). The overview judges its KPI cards
/// against them and the recommendation engine uses them.
/// </summary>
/// <remarks>Every value is null until the store sets it (null means the default, as in the settings row).</remarks>
public sealed record StoreTargets(decimal? Mer = null, decimal? Roas = null, decimal? LtvToCac = null, int? PaybackDays = null, decimal? Poas = null,
    decimal? Cpa = null)
{
    public const decimal DefaultMer = 3m;
    public const decimal DefaultRoas = 2m;
    public const decimal DefaultLtvToCac = 3m;
    public const int DefaultPaybackDays = 90;
    public const decimal DefaultPoas = 1.5m;

    /// <summary>Days of complete history the break-even CPA is computed over.</summary>
    public const int BreakEvenCpaDays = 30;

    public KpiTarget MerTarget => new("mer", TargetDirection.Above, Mer ?? DefaultMer, Mer is null);
    public KpiTarget RoasTarget => new("roas", TargetDirection.Above, Roas ?? DefaultRoas, Roas is null);
    public KpiTarget LtvToCacTarget => new("ltvToCac", TargetDirection.Above, LtvToCac ?? DefaultLtvToCac, LtvToCac is null);
    public KpiTarget PaybackTarget => new("paybackDays", TargetDirection.Below, PaybackDays ?? DefaultPaybackDays, PaybackDays is null);
    public KpiTarget PoasTarget => new("poas", TargetDirection.Above, Poas ?? DefaultPoas, Poas is null);

    /// <summary>The targets of store metrics, in the API's order (the target CPA judges ads, not the store).</summary>
    public IReadOnlyList<KpiTarget> KpiTargets => [MerTarget, RoasTarget, LtvToCacTarget, PaybackTarget, PoasTarget];

    /// <summary>The target of a metric, or null when it has none.</summary>
    public KpiTarget? For(string metricKey) => KpiTargets.FirstOrDefault(t => t.Metric == metricKey);

    /// <summary>
    /// What one order leaves before ads over a period: contribution margin ÷ orders. A purchase that costs more in ads
    /// loses money on its first order. Null without orders or without a positive margin (no cost per purchase breaks even).
    /// </summary>
    public static decimal? BreakEvenCpa(KpiSet period) =>
        period.Orders > 0 && period.ContributionMargin > 0 ? period.ContributionMargin / period.Orders : null;

    public static StoreTargets From(StoreSettings s) => new(s.TargetMer, s.TargetRoas, s.TargetLtvToCac, s.TargetPaybackDays, s.TargetPoas, s.TargetCpa);

    public void ApplyTo(StoreSettings s)
    {
        s.TargetMer = Mer;
        s.TargetRoas = Roas;
        s.TargetLtvToCac = LtvToCac;
        s.TargetPaybackDays = PaybackDays;
        s.TargetPoas = Poas;
        s.TargetCpa = Cpa;
    }

    /// <summary>Out-of-range values by API field name; empty when every value is usable.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>();
        void Ratio(string field, decimal? value)
        {
            if (value is <= 0 or > 100)
            {
                problems[field] = "must be above 0 and at most 100";
            }
        }
        Ratio("mer", Mer);
        Ratio("roas", Roas);
        Ratio("ltvToCac", LtvToCac);
        Ratio("poas", Poas);
        if (PaybackDays is < 1 or > 365)
        {
            problems["paybackDays"] = "must be between 1 and 365";
        }
        if (Cpa is <= 0 or > 1_000_000)
        {
            problems["cpa"] = "must be above 0 and at most 1000000, or empty for break-even";
        }
        return problems;
    }

    /// <summary>"MER 3 → 4; target CPA break-even → 40": the changed values, for the audit log.</summary>
    public string DescribeChanges(StoreTargets before)
    {
        var changes = new List<string>();
        void Compare(string label, decimal? old, decimal? now, string whenNull)
        {
            if (old != now)
            {
                string Text(decimal? v) => v is { } value ? value.ToString("0.####", CultureInfo.InvariantCulture) : whenNull;
                changes.Add($"{label} {Text(old)} → {Text(now)}");
            }
        }
        Compare("MER", before.Mer, Mer, "default");
        Compare("ROAS", before.Roas, Roas, "default");
        Compare("LTV:CAC", before.LtvToCac, LtvToCac, "default");
        Compare("payback days", before.PaybackDays, PaybackDays, "default");
        Compare("POAS", before.Poas, Poas, "default");
        Compare("target CPA", before.Cpa, Cpa, "break-even");
        return string.Join("; ", changes);
    }
}
