namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// A run of whole store-local days a metric is summed over (docs/metrics.md#rule-variables-and-windows): <c>_today</c> so far, <c>_yesterday</c>,
/// <c>_Nd</c> = the N complete days before today, <c>_Nd_incl_today</c> = those plus today, <c>_lifetime</c> = everything.
/// </summary>
public sealed record RuleWindow(string Suffix, string Label, string Definition, int DaysBack, bool IncludesToday)
{
    /// <summary>Days back of the lifetime window: every day there is.</summary>
    public const int Lifetime = int.MaxValue;

    public static IReadOnlyList<RuleWindow> All { get; } =
    [
        new("today", "Today", "Today so far, in the store's time zone.", 0, true),
        new("yesterday", "Yesterday", "Yesterday, in the store's time zone.", 1, false),
        Days(3), Days(7), Days(14), Days(30),
        DaysInclToday(3), DaysInclToday(7), DaysInclToday(14), DaysInclToday(30),
        new("lifetime", "Lifetime", "Every day up to and including today.", Lifetime, true),
    ];

    /// <summary>First and last day of the window for a store-local <paramref name="today"/> (first is <see cref="DateOnly.MinValue"/> for lifetime).</summary>
    public (DateOnly First, DateOnly Last) Range(DateOnly today)
    {
        var last = IncludesToday ? today : today.AddDays(-1);
        var first = DaysBack == Lifetime ? DateOnly.MinValue : today.AddDays(-DaysBack);
        return (first, last);
    }

    private static RuleWindow Days(int n) =>
        new($"{n}d", $"Last {n} days", $"The {n} complete days before today (yesterday and the {n - 1} days before it), like Meta's last_{n}d.", n, false);

    private static RuleWindow DaysInclToday(int n) =>
        new($"{n}d_incl_today", $"Last {n} days + today", $"The {n} complete days before today, plus today so far.", n, true);
}
