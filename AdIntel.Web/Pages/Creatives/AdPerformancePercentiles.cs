using System.Globalization;
using AdIntel.Web.Creatives;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Campaigns;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>One metric of a running ad against the account's other ads: its value, its percentile (100: best) and why.</summary>
public sealed record MetricPercentile(string Metric, decimal? Value, int? Percentile, int ComparedAds, string Reason);

/// <summary>A running ad's standing in its account over the last 30 days, with the evidence threshold it was held to.</summary>
public sealed record AdPerformanceStanding(long AdId, string AdName, DateOnly From, DateOnly To, bool EnoughEvidence, string Evidence,
    IReadOnlyList<MetricPercentile> Metrics);

/// <summary>
/// Where a running ad's CTR, CPA and ROAS stand among the account's ads over the last 30 days, from the campaign
/// performance query's per-ad delivery (the same figures as the campaign screens). Only ads with enough evidence
/// count: <see cref="AdEvidence"/>'s threshold over the window.
/// </summary>
public sealed class AdPerformancePercentiles(CampaignPerformanceQuery performance, StoreClock clock)
{
    public static string Threshold => AdEvidence.Threshold + " in the last 30 days";

    /// <summary>Null when the ad does not exist in the current store.</summary>
    public async Task<AdPerformanceStanding?> GetAsync(long adId, CancellationToken cancellationToken)
    {
        var range = DatePreset.Last30Days.RangeEndingOn(await clock.GetTodayAsync(cancellationToken));
        var ads = await performance.GetAdsAsync(range, cancellationToken);
        if (ads.FirstOrDefault(a => a.Id == adId) is not { } ad)
        {
            return null;
        }
        var t = ad.Totals;
        if (!HasEvidence(t))
        {
            return new(ad.Id, ad.Name, range.From, range.To, false, string.Create(CultureInfo.InvariantCulture,
                $"Not enough evidence: {t.Impressions:N0} impressions and {t.Spend:0.00} spend in the last 30 days; percentiles need {Threshold}."), []);
        }
        var peers = ads.Where(a => HasEvidence(a.Totals)).Select(a => a.Totals).ToList();
        List<MetricPercentile> metrics =
        [
            Rank("ctr", t.Ctr, peers.Select(p => p.Ctr), higherIsBetter: true),
            Rank("cpa", t.Cpa, peers.Select(p => p.Cpa), higherIsBetter: false),
            Rank("roas", t.Roas, peers.Select(p => p.Roas), higherIsBetter: true),
            new("thumb_stop_rate", null, null, 0, ad.CreativeType == "video"
                ? "Not available: the thumb-stop rate needs 3-second video views, which the Meta import does not bring."
                : "Not applicable: the thumb-stop rate is for video ads."),
        ];
        return new(ad.Id, ad.Name, range.From, range.To, true,
            string.Create(CultureInfo.InvariantCulture, $"{t.Impressions:N0} impressions and {t.Spend:0.00} spend in the last 30 days; compared with the {peers.Count} ads with {Threshold}."),
            metrics);
    }

    private static bool HasEvidence(DeliveryTotals totals) => AdEvidence.IsEnough(totals.Impressions, totals.Spend);

    /// <summary>Percent of the compared ads (itself included) it does better than, ties counting half: 100 × (worse + ½ × equal) ÷ n.</summary>
    private static MetricPercentile Rank(string metric, decimal? value, IEnumerable<decimal?> peerValues, bool higherIsBetter)
    {
        var values = peerValues.OfType<decimal>().ToList();
        if (value is not { } v)
        {
            return new(metric, null, null, values.Count, metric == "cpa" ? "No purchases in the last 30 days, so no CPA to rank." : "No value to rank.");
        }
        var worse = values.Count(x => higherIsBetter ? x < v : x > v);
        var equal = values.Count(x => x == v);
        var percentile = (int)Math.Round(100m * (worse + equal / 2m) / values.Count, MidpointRounding.AwayFromZero);
        return new(metric, Math.Round(v, 4, MidpointRounding.AwayFromZero), percentile, values.Count, string.Create(CultureInfo.InvariantCulture,
            $"{(metric == "ctr" ? $"{v * 100:0.00}%" : $"{v:0.00}")} beats {worse} of the {values.Count} ads with a {metric.ToUpperInvariant()} ({(higherIsBetter ? "higher" : "lower")} is better): percentile {percentile}."));
    }
}
