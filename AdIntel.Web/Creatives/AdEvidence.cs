using System.Globalization;

namespace AdIntel.Web.Creatives;

/// <summary>
/// When an ad's delivery is enough to judge its performance against the account's other ads (its percentiles, whether
/// it is a winner): at least <see cref="MinImpressions"/> impressions and <see cref="MinSpend"/> of spend in the window judged.
/// </summary>
public static class AdEvidence
{
    public const long MinImpressions = 1000;
    public const decimal MinSpend = 20m;

    public static bool IsEnough(long impressions, decimal spend) => impressions >= MinImpressions && spend >= MinSpend;

    /// <summary>"at least 1,000 impressions and 20 spend", for sentences that state the threshold.</summary>
    public static string Threshold => string.Create(CultureInfo.InvariantCulture, $"at least {MinImpressions:N0} impressions and {MinSpend:0} spend");
}
