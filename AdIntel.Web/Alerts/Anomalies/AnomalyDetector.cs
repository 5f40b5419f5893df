namespace AdIntel.Web.Alerts.Anomalies;

/// <summary>The kinds of anomaly (the alert's type).</summary>
public static class AnomalyKinds
{
    public const string SpendSpike = "spend_spike";
    public const string RoasDrop = "roas_drop";
    public const string ZeroDelivery = "zero_delivery";
    public const string CpaJump = "cpa_jump";
    public const string MerDrop = "mer_drop";
    public const string OrdersDrop = "orders_drop";

    public static IReadOnlyList<string> All { get; } = [SpendSpike, RoasDrop, ZeroDelivery, CpaJump, MerDrop, OrdersDrop];
}

/// <summary>What an anomaly is measured on: campaign, ad_set, ad, or the store.</summary>
public static class AnomalySubjects
{
    public const string Campaign = "campaign";
    public const string AdSet = "ad_set";
    public const string Ad = "ad";
    public const string Store = "store";
}

/// <summary>
/// One day of a subject: spend, revenue (platform purchase value for ads, total sales for the store), conversions
/// (platform purchases, or orders) and impressions.
/// </summary>
public sealed record DayFigures(decimal Spend, decimal Revenue, decimal Conversions, long Impressions)
{
    public static DayFigures None { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// A campaign, ad set, ad or the store with its daily figures (a day missing from <see cref="Days"/> had no delivery).
/// <see cref="Active"/>: the entity (and what contains it) is switched on, so it should deliver.
/// </summary>
public sealed record AnomalySubject(string Type, long Id, string Name, bool Active, IReadOnlyDictionary<DateOnly, DayFigures> Days)
{
    public DayFigures On(DateOnly day) => Days.TryGetValue(day, out var figures) ? figures : DayFigures.None;
}

/// <summary>
/// An anomaly found: the day's value against the subject's baseline (median and MAD of the same weekday over the last
/// weeks), its robust z, and the change relative to the median.
/// </summary>
/// <param name="RecentMedian">The median of the recent days before (any weekday), the level the value is also compared with.</param>
public sealed record AnomalyFinding(string Kind, AnomalySubject Subject, DateOnly Day, decimal Value, decimal Median, decimal Mad, decimal Z,
    int BaselineDays, string Unit, decimal RecentMedian)
{
    /// <summary>(value − median) / median: +1.5 is 150 % above, −0.6 is 60 % below.</summary>
    public decimal Change => Median == 0 ? 0 : (Value - Median) / Median;
}

/// <summary>
/// The thresholds of detection. A robust z (distance from the median in scaled MADs) must pass <see cref="MinAbsZ"/>
/// and the change must be large in relative terms too; the minimum-evidence fields keep small or new entities, whose
/// days are mostly noise, from raising anything (docs/alerts.md explains each).
/// </summary>
public sealed record AnomalyThresholds
{
    public static AnomalyThresholds Default { get; } = new();

    /// <summary>Days before the judged one whose median is the recent level (a lasting change of level stops being an anomaly).</summary>
    public int RecentDays { get; init; } = 3;
    /// <summary>Weeks of the same weekday the baseline reads.</summary>
    public int BaselineWeeks { get; init; } = 8;
    /// <summary>Of those, how many must have usable data.</summary>
    public int MinBaselineDays { get; init; } = 4;
    public decimal MinAbsZ { get; init; } = 1.5m;
    /// <summary>The scale never goes below this share of the median, so a very steady series does not turn a 10 % wobble into a huge z.</summary>
    public decimal MinScaleShareOfMedian { get; init; } = 0.1m;
    /// <summary>Baseline median daily spend below which an entity is too small to judge (store currency).</summary>
    public decimal MinDailySpend { get; init; } = 20m;
    /// <summary>Spend spike: at least this multiple of the median, and this much money above it.</summary>
    public decimal SpikeMinRatio { get; init; } = 1.8m;
    public decimal SpikeMinIncrease { get; init; } = 50m;
    /// <summary>Drops (ROAS, MER, orders): the value at most this share of the median.</summary>
    public decimal DropMaxShare { get; init; } = 0.5m;
    /// <summary>CPA jump: at least this multiple of the median.</summary>
    public decimal JumpMinRatio { get; init; } = 2m;
    /// <summary>Baseline median daily purchases below which ROAS and CPA of an entity are too noisy to judge.</summary>
    public decimal MinDailyConversions { get; init; } = 3m;
    /// <summary>Baseline median daily orders below which the store's orders and MER are too noisy to judge.</summary>
    public decimal MinDailyOrders { get; init; } = 10m;
    /// <summary>Orders drop "while spend holds": the day's spend at least this share of its median.</summary>
    public decimal SpendHoldsShare { get; init; } = 0.8m;
}

/// <summary>
/// Finds the anomalies of one subject on one day against its own baseline: median and MAD of the same weekday over the
/// last <see cref="AnomalyThresholds.BaselineWeeks"/> weeks (so weekly seasonality is respected), a robust z threshold and
/// minimum evidence. Pure: the caller loads the figures (<see cref="AnomalyScan"/>).
/// </summary>
public static class AnomalyDetector
{
    /// <summary>1.4826 × MAD estimates the standard deviation of normally distributed data.</summary>
    public const decimal MadToSigma = 1.4826m;

    public static IReadOnlyList<AnomalyFinding> Detect(AnomalySubject subject, DateOnly day, AnomalyThresholds thresholds)
    {
        var baseline = Enumerable.Range(1, thresholds.BaselineWeeks).Select(week => subject.On(day.AddDays(-7 * week))).ToList();
        var recent = Enumerable.Range(1, thresholds.RecentDays).Select(back => subject.On(day.AddDays(-back))).ToList();
        var today = subject.On(day);
        var findings = new List<AnomalyFinding>();
        void Add(AnomalyFinding? finding)
        {
            if (finding is not null)
            {
                findings.Add(finding);
            }
        }

        // Days the subject delivered (spent) at all; everything below needs enough of them.
        var spending = baseline.Where(d => d.Spend > 0).ToList();
        var spendMedian = Median(spending.Select(d => d.Spend).ToList());
        var enoughSpend = spending.Count >= thresholds.MinBaselineDays && spendMedian >= thresholds.MinDailySpend;

        if (subject.Type == AnomalySubjects.Store)
        {
            var ordered = baseline.Where(d => d.Conversions > 0 || d.Spend > 0).ToList();
            var ordersMedian = Median(ordered.Select(d => d.Conversions).ToList());
            var enoughOrders = ordered.Count >= thresholds.MinBaselineDays && ordersMedian >= thresholds.MinDailyOrders;
            if (enoughSpend && enoughOrders && today.Spend >= thresholds.MinDailySpend)
            {
                Add(Judge(AnomalyKinds.MerDrop, subject, day, today.Revenue / today.Spend,
                    Ratios(spending, thresholds), Ratios(recent, thresholds), "ratio", thresholds, Drop));
            }
            if (enoughOrders && enoughSpend && today.Spend >= spendMedian * thresholds.SpendHoldsShare)
            {
                Add(Judge(AnomalyKinds.OrdersDrop, subject, day, today.Conversions, ordered.Select(d => d.Conversions).ToList(),
                    recent.Select(d => d.Conversions).ToList(), "count", thresholds, Drop));
            }
            return findings;
        }

        if (!enoughSpend)
        {
            return findings;
        }
        Add(Judge(AnomalyKinds.SpendSpike, subject, day, today.Spend, spending.Select(d => d.Spend).ToList(), recent.Select(d => d.Spend).ToList(),
            "money", thresholds, f => f.Z >= thresholds.MinAbsZ && f.Value >= Math.Max(f.Median, f.RecentMedian) * thresholds.SpikeMinRatio
                && f.Value - Math.Max(f.Median, f.RecentMedian) >= thresholds.SpikeMinIncrease));

        // Stopped: it delivered in the recent days too (an ad set idle for a week is not newly stopped).
        if (subject.Type == AnomalySubjects.AdSet && subject.Active && today.Spend == 0 && today.Impressions == 0 && recent.Any(d => d.Spend > 0))
        {
            Add(Judge(AnomalyKinds.ZeroDelivery, subject, day, 0m, spending.Select(d => d.Spend).ToList(), recent.Select(d => d.Spend).ToList(),
                "money", thresholds, _ => true));
        }

        var converting = spending.Where(d => d.Spend >= thresholds.MinDailySpend).ToList();
        var conversionsMedian = Median(converting.Select(d => d.Conversions).ToList());
        if (converting.Count >= thresholds.MinBaselineDays && conversionsMedian >= thresholds.MinDailyConversions
            && today.Spend >= thresholds.MinDailySpend)
        {
            Add(Judge(AnomalyKinds.RoasDrop, subject, day, today.Revenue / today.Spend, Ratios(converting, thresholds), Ratios(recent, thresholds),
                "ratio", thresholds, Drop));
            // A day without a purchase counts as one: its CPA is at least the day's spend.
            Add(Judge(AnomalyKinds.CpaJump, subject, day, Cpa(today), Cpas(converting, thresholds), Cpas(recent, thresholds), "money", thresholds,
                f => f.Z >= thresholds.MinAbsZ && f.Value >= Math.Max(f.Median, f.RecentMedian) * thresholds.JumpMinRatio));
        }
        return findings;

        // A drop is far below both the same weekday's usual level and the recent one.
        bool Drop(AnomalyFinding f) => f.Z <= -thresholds.MinAbsZ && f.Value <= Math.Min(f.Median, f.RecentMedian) * thresholds.DropMaxShare;
    }

    /// <summary>Revenue per unit of spend of the days that spent enough to say.</summary>
    private static List<decimal> Ratios(IEnumerable<DayFigures> days, AnomalyThresholds thresholds) =>
        [.. days.Where(d => d.Spend >= thresholds.MinDailySpend).Select(d => d.Revenue / d.Spend)];

    private static List<decimal> Cpas(IEnumerable<DayFigures> days, AnomalyThresholds thresholds) =>
        [.. days.Where(d => d.Spend >= thresholds.MinDailySpend).Select(Cpa)];

    private static decimal Cpa(DayFigures day) => day.Spend / Math.Max(day.Conversions, 1m);

    /// <summary>Builds the finding of <paramref name="value"/> against <paramref name="baseline"/>, kept when <paramref name="fires"/>.</summary>
    /// <remarks>Without recent values (no recent day spent enough) the recent level is the baseline's median.</remarks>
    private static AnomalyFinding? Judge(string kind, AnomalySubject subject, DateOnly day, decimal value, IReadOnlyList<decimal> baseline,
        IReadOnlyList<decimal> recent, string unit, AnomalyThresholds thresholds, Func<AnomalyFinding, bool> fires)
    {
        if (baseline.Count < thresholds.MinBaselineDays)
        {
            return null;
        }
        var median = Median(baseline);
        var mad = Median(baseline.Select(v => Math.Abs(v - median)).ToList());
        var z = RobustZ(value, median, mad, thresholds);
        var finding = new AnomalyFinding(kind, subject, day, value, median, mad, z, baseline.Count, unit, recent.Count > 0 ? Median(recent) : median);
        return fires(finding) ? finding : null;
    }

    /// <summary>(value − median) / max(1.4826 × MAD, share × |median|); 0 when both are 0.</summary>
    public static decimal RobustZ(decimal value, decimal median, decimal mad, AnomalyThresholds thresholds)
    {
        var scale = Math.Max(MadToSigma * mad, thresholds.MinScaleShareOfMedian * Math.Abs(median));
        return scale == 0 ? 0 : Math.Round((value - median) / scale, 2);
    }

    public static decimal Median(IReadOnlyList<decimal> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
