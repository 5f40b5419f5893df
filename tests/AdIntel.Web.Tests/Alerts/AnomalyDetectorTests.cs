using AdIntel.Web.Alerts.Anomalies;

namespace AdIntel.Web.Tests.Alerts;

/// <summary>
/// Each anomaly kind on hand-built series: it fires on the day it should, with figures equal to a calculation made here
/// (median and MAD of the same weekday of the eight weeks before), and stays quiet on ordinary days, on other weekdays'
/// patterns and when the minimum evidence is missing.
/// </summary>
public sealed class AnomalyDetectorTests
{
    private static readonly DateOnly Day = new(2026, 11, 30);
    private static readonly AnomalyThresholds Rules = AnomalyThresholds.Default;

    /// <summary>The same weekday of the eight weeks before <see cref="Day"/> get these spends (oldest first); other days a tenth, so only the weekday counts.</summary>
    private static readonly decimal[] BaselineSpend = [95, 100, 105, 98, 102, 110, 90, 100];

    /// <summary>
    /// A subject whose same-weekday baseline days have <see cref="BaselineSpend"/> with ROAS 3 and 5 purchases a day, other
    /// days a tenth of it, and <paramref name="today"/> on <see cref="Day"/>.
    /// </summary>
    private static AnomalySubject Subject(string type, DayFigures today, bool active = true, decimal scale = 1m, decimal purchases = 5)
    {
        var days = new Dictionary<DateOnly, DayFigures>();
        for (var offset = 1; offset <= 70; offset++)
        {
            var date = Day.AddDays(-offset);
            var week = offset % 7 == 0 ? offset / 7 : 0;
            var spend = week is >= 1 and <= 8 ? BaselineSpend[8 - week] * scale : 10m * scale;
            days[date] = new DayFigures(spend, spend * 3, purchases, (long)(spend * 100));
        }
        days[Day] = today;
        return new AnomalySubject(type, 42, "Prospecting", active, days);
    }

    private static DayFigures Usual => new(100, 300, 5, 10_000);

    [Fact]
    public void An_ordinary_day_raises_nothing_for_any_subject()
    {
        foreach (var type in new[] { AnomalySubjects.Campaign, AnomalySubjects.AdSet, AnomalySubjects.Ad })
        {
            Assert.Empty(AnomalyDetector.Detect(Subject(type, Usual), Day, Rules));
        }
    }

    [Fact]
    public void A_spend_spike_fires_with_the_robust_z_of_the_same_weekday_baseline()
    {
        var finding = Assert.Single(AnomalyDetector.Detect(Subject(AnomalySubjects.AdSet, Usual with { Spend = 260, Revenue = 780, Conversions = 13 }), Day, Rules));

        // Baseline 90 95 98 100 100 102 105 110: median 100; deviations 10 5 2 0 0 2 5 10 → MAD 3.5; scale max(1.4826 × 3.5, 10 % × 100) = 10.
        Assert.Equal(AnomalyKinds.SpendSpike, finding.Kind);
        Assert.Equal((260m, 100m, 3.5m, 16m, 8), (finding.Value, finding.Median, finding.Mad, finding.Z, finding.BaselineDays));
        Assert.Equal(1.6m, finding.Change);
    }

    [Fact]
    public void A_spend_rise_below_the_thresholds_does_not_fire()
    {
        // 170 is 1.7× the median (below 1.8×) although its z is 7.
        Assert.Empty(AnomalyDetector.Detect(Subject(AnomalySubjects.AdSet, Usual with { Spend = 170, Revenue = 510 }), Day, Rules));
    }

    [Fact]
    public void A_roas_collapse_fires_as_a_roas_drop_only()
    {
        var finding = Assert.Single(AnomalyDetector.Detect(Subject(AnomalySubjects.Campaign, Usual with { Revenue = 80 }), Day, Rules));

        // Baseline ROAS is 3 every day: MAD 0, scale 10 % × 3 = 0.3; z = (0.8 − 3) / 0.3 = −7.33.
        Assert.Equal((AnomalyKinds.RoasDrop, 0.8m, 3m, 0m, -7.33m), (finding.Kind, finding.Value, finding.Median, finding.Mad, finding.Z));
    }

    [Fact]
    public void A_cpa_jump_fires_when_purchases_collapse_at_the_same_spend()
    {
        var findings = AnomalyDetector.Detect(Subject(AnomalySubjects.Ad, Usual with { Conversions = 1, Revenue = 60 }), Day, Rules);

        var cpa = Assert.Single(findings, f => f.Kind == AnomalyKinds.CpaJump);
        // CPA 100 / 1 against baseline spends / 5: 18 19 19.6 20 20 20.4 21 22 → median 20, MAD 0.7 → scale max(1.04, 2) = 2; z = 40.
        Assert.Equal((100m, 20m, 0.7m, 40m), (cpa.Value, cpa.Median, cpa.Mad, cpa.Z));
        Assert.Contains(findings, f => f.Kind == AnomalyKinds.RoasDrop);
    }

    [Fact]
    public void Zero_delivery_fires_on_an_active_ad_set_that_delivered_before_and_not_on_a_paused_one_or_an_ad()
    {
        var finding = Assert.Single(AnomalyDetector.Detect(Subject(AnomalySubjects.AdSet, DayFigures.None), Day, Rules));
        Assert.Equal((AnomalyKinds.ZeroDelivery, 0m, 100m), (finding.Kind, finding.Value, finding.Median));
        Assert.Equal(-10m, finding.Z);

        Assert.Empty(AnomalyDetector.Detect(Subject(AnomalySubjects.AdSet, DayFigures.None, active: false), Day, Rules));
        Assert.Empty(AnomalyDetector.Detect(Subject(AnomalySubjects.Ad, DayFigures.None), Day, Rules));
    }

    [Fact]
    public void The_store_raises_an_orders_drop_while_spend_holds_and_a_mer_drop()
    {
        // Store: spend 100 and 5 "conversions" in the base subject are too few orders; give it 20 orders a day.
        var store = Subject(AnomalySubjects.Store, new DayFigures(100, 90, 6, 0), purchases: 20);

        var findings = AnomalyDetector.Detect(store, Day, Rules).ToDictionary(f => f.Kind);

        Assert.Equal([AnomalyKinds.MerDrop, AnomalyKinds.OrdersDrop], findings.Keys.Order());
        Assert.Equal((6m, 20m, 0m, -7m), (findings[AnomalyKinds.OrdersDrop].Value, findings[AnomalyKinds.OrdersDrop].Median,
            findings[AnomalyKinds.OrdersDrop].Mad, findings[AnomalyKinds.OrdersDrop].Z));
        Assert.Equal((0.9m, 3m, -7m), (findings[AnomalyKinds.MerDrop].Value, findings[AnomalyKinds.MerDrop].Median, findings[AnomalyKinds.MerDrop].Z));
    }

    [Fact]
    public void Fewer_orders_when_spend_was_cut_too_is_no_orders_drop()
    {
        var store = Subject(AnomalySubjects.Store, new DayFigures(40, 120, 6, 0), purchases: 20);

        Assert.DoesNotContain(AnomalyDetector.Detect(store, Day, Rules), f => f.Kind == AnomalyKinds.OrdersDrop);
    }

    [Fact]
    public void Small_accounts_and_short_histories_raise_nothing()
    {
        // A tenth of the spend: baseline median 10, below the 20 minimum, even for a tenfold spike and a stop.
        Assert.Empty(AnomalyDetector.Detect(Subject(AnomalySubjects.AdSet, new DayFigures(100, 10, 0, 1), scale: 0.1m), Day, Rules));
        Assert.Empty(AnomalyDetector.Detect(Subject(AnomalySubjects.AdSet, DayFigures.None, scale: 0.1m), Day, Rules));
        // One purchase a day: ROAS and CPA are too noisy to judge.
        Assert.Empty(AnomalyDetector.Detect(Subject(AnomalySubjects.Ad, Usual with { Revenue = 10, Conversions = 0 }, purchases: 1), Day, Rules));
        // Three weeks of history: below the four same-weekday days needed.
        var young = Subject(AnomalySubjects.AdSet, Usual with { Spend = 400 });
        var recent = young.Days.Where(d => d.Key >= Day.AddDays(-21)).ToDictionary();
        Assert.Empty(AnomalyDetector.Detect(young with { Days = recent }, Day, Rules));
        // The store with under 10 orders a day.
        Assert.Empty(AnomalyDetector.Detect(Subject(AnomalySubjects.Store, new DayFigures(100, 10, 0, 0), purchases: 5), Day, Rules));
    }

    [Fact]
    public void The_median_and_robust_z_match_their_definitions()
    {
        Assert.Equal(2.5m, AnomalyDetector.Median([4, 1, 3, 2]));
        Assert.Equal(3m, AnomalyDetector.Median([5, 1, 3]));
        Assert.Equal(0m, AnomalyDetector.Median([]));
        // (130 − 100) / (1.4826 × 10) = 2.02
        Assert.Equal(2.02m, AnomalyDetector.RobustZ(130, 100, 10, Rules));
    }
}
