namespace AdIntel.Web.Pages.Campaigns;

public enum ValueFormat
{
    Money,
    Count,
    Percent,
    Ratio,
    /// <summary>Two decimals always (frequency), so the column lines up.</summary>
    Decimal,
    /// <summary>A count that may be fractional (modelled purchases): up to two decimals.</summary>
    Quantity,
}

/// <summary>
/// A metric column of the performance tables: its API key, label, formula (shown on hover) and value. Delivery metrics
/// also have a value for the totals row (<see cref="TotalValue"/>); the budget column does not.
/// </summary>
public sealed record PerformanceColumn(string Key, string Label, string Formula, ValueFormat Format,
    Func<PerformanceRow, decimal?> Value, Func<DeliveryTotals, decimal?>? TotalValue)
{
    public const string FrequencyFormula =
        "Impressions ÷ reach. Reach is summed over the days of the range because daily rows cannot be de-duplicated " +
        "across days, so for ranges longer than a day this reads lower than the frequency Ads Manager shows.";

    public static PerformanceColumn DailyBudget { get; } = new("dailyBudget", "Daily budget",
        "Campaign budget when the campaign sets one (CBO), otherwise the sum of its active ad sets' daily budgets.",
        ValueFormat.Money, r => r.DailyBudget, TotalValue: null);

    /// <summary>Delivery metrics in table order: money first, then the funnel.</summary>
    public static IReadOnlyList<PerformanceColumn> Metrics { get; } =
    [
        Metric("spend", "Spend", "Amount spent, as the ad platform reports it.", ValueFormat.Money, t => t.Spend),
        Metric("estimatedProfit", "Est. profit",
            "Purchase value × the store's contribution margin per unit of sales in the range − spend: an estimate that trusts the " +
            "platform's attribution and assumes its orders carry the store's average margin.", ValueFormat.Money, t => t.EstimatedProfit),
        Metric("poas", "POAS", "Purchase value × the store's contribution margin per unit of sales ÷ spend (1.0 is break-even).",
            ValueFormat.Ratio, t => t.Poas),
        Metric("purchases", "Purchases", "Purchases the ad platform attributes to the ads.", ValueFormat.Quantity, t => t.Purchases),
        Metric("purchaseValue", "Purchase value", "Conversion value of the attributed purchases.", ValueFormat.Money, t => t.PurchaseValue),
        Metric("roas", "ROAS", "Purchase value ÷ spend (platform-attributed).", ValueFormat.Ratio, t => t.Roas),
        Metric("cpa", "CPA", "Spend ÷ purchases.", ValueFormat.Money, t => t.Cpa),
        Metric("impressions", "Impressions", "Times the ads were shown.", ValueFormat.Count, t => t.Impressions),
        Metric("linkClicks", "Link clicks", "Clicks on links that lead to the destination.", ValueFormat.Count, t => t.LinkClicks),
        Metric("ctr", "CTR", "Link clicks ÷ impressions.", ValueFormat.Percent, t => t.Ctr),
        Metric("cpc", "CPC", "Spend ÷ link clicks.", ValueFormat.Money, t => t.Cpc),
        Metric("cpm", "CPM", "Spend ÷ impressions × 1,000.", ValueFormat.Money, t => t.Cpm),
        Metric("frequency", "Frequency", FrequencyFormula, ValueFormat.Decimal, t => t.Frequency),
    ];

    private static PerformanceColumn Metric(string key, string label, string formula, ValueFormat format, Func<DeliveryTotals, decimal?> value) =>
        new(key, label, formula, format, row => value(row.Totals), value);

    /// <summary>The columns a level's table shows (ads have no budget of their own).</summary>
    public static IReadOnlyList<PerformanceColumn> For(PerformanceLevel level) =>
        level == PerformanceLevel.Ad ? Metrics : [DailyBudget, .. Metrics];

    public static PerformanceColumn? Find(string key) =>
        Metrics.Append(DailyBudget).FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The order of a performance table: <c>?sort=&lt;key&gt;&amp;dir=asc|desc</c>. Keys are <c>name</c>, <c>status</c>
/// and the metric keys of <see cref="PerformanceColumn"/>. Rows without a value (a ratio over zero) always sort last.
/// </summary>
public sealed record PerformanceSort(string Key, bool Descending)
{
    public const string Name = "name";
    public const string Status = "status";

    public static PerformanceSort Default { get; } = new("spend", Descending: true);

    public string Direction => Descending ? "desc" : "asc";

    public static IEnumerable<string> Keys => new[] { Name, Status }.Concat(PerformanceColumn.Metrics.Append(PerformanceColumn.DailyBudget).Select(c => c.Key));

    /// <summary>Reads the query; <paramref name="error"/> names the bad parameter when the key or direction is unknown.</summary>
    public static bool TryParse(string? sort, string? dir, out PerformanceSort result, out string? error)
    {
        result = Default;
        error = null;
        var key = Default.Key;
        if (!string.IsNullOrWhiteSpace(sort))
        {
            key = Keys.FirstOrDefault(k => string.Equals(k, sort.Trim(), StringComparison.OrdinalIgnoreCase))!;
            if (key is null)
            {
                error = $"sort \"{sort}\" is not a column; use one of {string.Join(", ", Keys)}.";
                return false;
            }
        }
        bool descending;
        if (string.IsNullOrWhiteSpace(dir))
        {
            descending = DescendsFirst(key);
        }
        else if (string.Equals(dir.Trim(), "desc", StringComparison.OrdinalIgnoreCase))
        {
            descending = true;
        }
        else if (string.Equals(dir.Trim(), "asc", StringComparison.OrdinalIgnoreCase))
        {
            descending = false;
        }
        else
        {
            error = $"dir \"{dir}\" must be asc or desc.";
            return false;
        }
        result = new PerformanceSort(key, descending);
        return true;
    }

    /// <summary>What a click on a column header asks for: the other direction of this column, or a fresh column's natural one.</summary>
    public PerformanceSort Toggle(string key) =>
        string.Equals(key, Key, StringComparison.Ordinal) ? this with { Descending = !Descending } : new PerformanceSort(key, DescendsFirst(key));

    public IReadOnlyList<PerformanceRow> Apply(IEnumerable<PerformanceRow> rows)
    {
        IOrderedEnumerable<PerformanceRow> ordered;
        if (Key is Name or Status)
        {
            Func<PerformanceRow, string> text = Key == Name ? r => r.Name : r => r.Status;
            ordered = Descending
                ? rows.OrderByDescending(text, StringComparer.OrdinalIgnoreCase)
                : rows.OrderBy(text, StringComparer.OrdinalIgnoreCase);
        }
        else
        {
            var value = PerformanceColumn.Find(Key)!.Value;
            var withValue = rows.OrderBy(r => value(r) is null);
            ordered = Descending ? withValue.ThenByDescending(value) : withValue.ThenBy(value);
        }
        return ordered.ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Id).ToList();
    }

    /// <summary>Text sorts A→Z first; numbers biggest first, except costs per result, where the cheapest is the interesting end.</summary>
    private static bool DescendsFirst(string key) => key is not (Name or Status or "cpa" or "cpc" or "cpm");
}
