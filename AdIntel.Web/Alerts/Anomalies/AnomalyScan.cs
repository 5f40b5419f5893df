using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Alerts.Anomalies;

/// <summary>
/// Detects the store's anomalies on its last complete day (store time zone) and keeps the anomaly alerts in step: each
/// anomaly found is raised through <see cref="AlertWriter"/> (a repeat updates its alert), and anomaly alerts whose
/// condition no longer holds are resolved. Works in the current store scope.
/// </summary>
public sealed class AnomalyScan(AdIntelDbContext db, StoreContext storeContext, StoreClock clock, MetricsService metrics, AlertWriter alerts)
{
    /// <summary>The condition key of an anomaly: one alert per kind and subject.</summary>
    public static string ConditionKey(string kind, string subjectType, long subjectId) =>
        FormattableString.Invariant($"anomaly:{kind}:{subjectType}:{subjectId}");

    /// <summary>Detects the last complete day's anomalies and raises and resolves their alerts; returns the findings.</summary>
    public async Task<IReadOnlyList<AnomalyFinding>> RunAsync(CancellationToken cancellationToken)
    {
        var day = (await clock.GetTodayAsync(cancellationToken)).AddDays(-1);
        var findings = await DetectAsync(day, AnomalyThresholds.Default, cancellationToken);
        if (findings is null)
        {
            // No data for the day yet (a sync still to come): judge nothing, resolve nothing.
            return [];
        }
        var raised = new List<string>();
        foreach (var finding in findings)
        {
            var alert = await alerts.RaiseAsync(AnomalySignals.For(finding), cancellationToken);
            raised.Add(alert.ConditionKey);
        }
        await alerts.ResolveClearedAsync(AlertSources.Anomaly, raised, cancellationToken);
        return findings;
    }

    /// <summary>
    /// The anomalies of <paramref name="day"/> against the weeks before it, of every campaign, ad set and ad and of the
    /// store; null when the store has no data at all on that day.
    /// </summary>
    public async Task<IReadOnlyList<AnomalyFinding>?> DetectAsync(DateOnly day, AnomalyThresholds thresholds, CancellationToken cancellationToken)
    {
        var subjects = await LoadSubjectsAsync(day, thresholds, cancellationToken);
        return subjects?.SelectMany(subject => AnomalyDetector.Detect(subject, day, thresholds)).ToList();
    }

    private async Task<List<AnomalySubject>?> LoadSubjectsAsync(DateOnly day, AnomalyThresholds thresholds, CancellationToken cancellationToken)
    {
        // The same weekday of the baseline weeks and the recent days before the judged one.
        var from = day.AddDays(-7 * thresholds.BaselineWeeks);
        var recentFrom = day.AddDays(-thresholds.RecentDays);
        var baselineDays = Enumerable.Range(0, thresholds.BaselineWeeks + 1).Select(week => day.AddDays(-7 * week)).ToList();
        var rows = await db.AdInsights.AsNoTracking()
            .Where(i => i.Date >= from && i.Date <= day && (i.Date >= recentFrom || baselineDays.Contains(i.Date)))
            .Select(i => new { i.AdId, i.Date, i.Spend, i.PurchaseValue, i.Purchases, i.Impressions })
            .ToListAsync(cancellationToken);
        var storeSeries = await metrics.GetDailySeriesAsync(new DateRange(from, day), cancellationToken);
        var storeToday = storeSeries[^1].Kpis;
        var hasAds = rows.Any(r => r.Date == day);
        if (!hasAds && storeToday.Orders == 0 && storeToday.AdSpend == 0)
        {
            return null;
        }

        var subjects = new List<AnomalySubject>();
        var storeId = storeContext.RequiredStoreId;
        subjects.Add(new AnomalySubject(AnomalySubjects.Store, storeId, "Store", true, storeSeries
            .Where(p => p.Date >= recentFrom || baselineDays.Contains(p.Date))
            .ToDictionary(p => p.Date, p => new DayFigures(p.Kpis.AdSpend, p.Kpis.TotalSales, p.Kpis.Orders, 0))));
        if (!hasAds)
        {
            // An account without a single row on the day has not been synced yet: no ad entity is judged on missing data.
            return subjects;
        }

        var adIds = rows.Select(r => r.AdId).Distinct().ToList();
        var ads = await db.Ads.AsNoTracking().Where(a => adIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.Status, a.AdSetId, a.CampaignId }).ToListAsync(cancellationToken);
        var adSetIds = ads.Select(a => a.AdSetId).Distinct().ToList();
        var campaignIds = ads.Select(a => a.CampaignId).Distinct().ToList();
        var adSets = await db.AdSets.AsNoTracking().Where(s => adSetIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var adById = ads.ToDictionary(a => a.Id);

        IEnumerable<AnomalySubject> Group(string type, Func<long, long> keyOf, Func<long, (string Name, bool Active)> describe) =>
            rows.GroupBy(r => keyOf(r.AdId)).Select(g =>
            {
                var (name, active) = describe(g.Key);
                return new AnomalySubject(type, g.Key, name, active, g.GroupBy(r => r.Date).ToDictionary(d => d.Key,
                    d => new DayFigures(d.Sum(r => r.Spend), d.Sum(r => r.PurchaseValue), d.Sum(r => r.Purchases), d.Sum(r => r.Impressions))));
            });

        bool On(string status) => status == EntityStatus.Active;
        subjects.AddRange(Group(AnomalySubjects.Campaign, ad => adById[ad].CampaignId,
            id => (campaigns[id].Name, On(campaigns[id].Status))));
        subjects.AddRange(Group(AnomalySubjects.AdSet, ad => adById[ad].AdSetId,
            id => (adSets[id].Name, On(adSets[id].Status) && On(campaigns[adSets[id].CampaignId].Status))));
        subjects.AddRange(Group(AnomalySubjects.Ad, ad => ad,
            id => (adById[id].Name, On(adById[id].Status) && On(adSets[adById[id].AdSetId].Status))));
        return subjects;
    }
}

/// <summary>Writes an anomaly as an alert: title, message with its figures, next step and severity by magnitude.</summary>
public static class AnomalySignals
{
    public static AlertSignal For(AnomalyFinding finding)
    {
        var subject = finding.Subject;
        var entityType = subject.Type;
        var what = subject.Type == AnomalySubjects.Store ? "The store" : $"{Label(subject.Type)} \"{subject.Name}\"";
        var day = finding.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var value = Format(finding.Value, finding.Unit);
        var median = Format(finding.Median, finding.Unit);
        var (title, message, next) = finding.Kind switch
        {
            AnomalyKinds.SpendSpike => ($"Spend spike: {subject.Name}",
                $"{what} spent {value} on {day}, against a usual {median} on that weekday (robust z {Z(finding)}).",
                "Check budget changes and bid settings on this entity; lower the budget or pause it if the spend is not intended."),
            AnomalyKinds.RoasDrop => ($"ROAS drop: {subject.Name}",
                $"{what} returned a ROAS of {value} on {day}, against a usual {median} on that weekday (robust z {Z(finding)}).",
                "Check the landing page, stock and tracking of this entity; if purchases really fell, lower its budget until it recovers."),
            AnomalyKinds.ZeroDelivery => ($"No delivery: {subject.Name}",
                $"{what} is active but spent nothing and showed no impressions on {day}; it usually spends {median} on that weekday.",
                "Open the ad set in Ads Manager: look for a rejected ad, a spending limit reached, a payment problem or an ended schedule."),
            AnomalyKinds.CpaJump => ($"CPA jump: {subject.Name}",
                $"{what} paid {value} per purchase on {day}, against a usual {median} on that weekday (robust z {Z(finding)}).",
                "Look for creative fatigue, a changed audience or a tracking problem; lower the budget if purchases stay expensive."),
            AnomalyKinds.MerDrop => ("MER drop",
                $"The store's MER (total sales / marketing spend) was {value} on {day}, against a usual {median} on that weekday (robust z {Z(finding)}).",
                "Compare spend and sales: check the checkout, stock and prices, and whether spend rose without sales."),
            AnomalyKinds.OrdersDrop => ("Orders drop while ad spend holds",
                $"The store took {value} orders on {day}, against a usual {median} on that weekday, while ad spend held (robust z {Z(finding)}).",
                "Check the checkout, payment provider, stock and site speed: spend kept running while orders fell."),
            _ => throw new ArgumentOutOfRangeException(nameof(finding), finding.Kind, "Unknown anomaly kind."),
        };
        var evidence = new AlertEvidence(
        [
            new AlertFigure($"Value on {day}", finding.Value, finding.Unit),
            new AlertFigure("Baseline median (same weekday)", finding.Median, finding.Unit),
            new AlertFigure("Baseline MAD", finding.Mad, finding.Unit),
            new AlertFigure("Robust z", finding.Z, "ratio"),
            new AlertFigure("Change against the median", Math.Round(finding.Change, 4), "percent"),
            new AlertFigure("Baseline days", finding.BaselineDays, "days"),
        ], finding.Day.AddDays(-7 * AnomalyThresholds.Default.BaselineWeeks), finding.Day);
        return new AlertSignal
        {
            Source = AlertSources.Anomaly,
            Type = finding.Kind,
            ConditionKey = AnomalyScan.ConditionKey(finding.Kind, subject.Type, subject.Id),
            Severity = Severity(finding),
            Title = title,
            Message = message,
            NextStep = next,
            EntityType = entityType,
            EntityId = subject.Id,
            EntityName = subject.Type == AnomalySubjects.Store ? null : subject.Name,
            Evidence = evidence,
        };
    }

    /// <summary>
    /// By magnitude: a stopped ad set is high; a change of at least 80 % (or a spend of 3× the usual) high, else medium;
    /// the store's own sales one step higher (critical for the largest), since they are the whole business.
    /// </summary>
    public static string Severity(AnomalyFinding finding)
    {
        var large = finding.Kind switch
        {
            AnomalyKinds.ZeroDelivery => true,
            AnomalyKinds.SpendSpike or AnomalyKinds.CpaJump => finding.Change >= 2m,
            _ => finding.Change <= -0.8m,
        };
        return (finding.Subject.Type == AnomalySubjects.Store, large) switch
        {
            (true, true) => AlertSeverities.Critical,
            (true, false) or (false, true) => AlertSeverities.High,
            _ => AlertSeverities.Medium,
        };
    }

    private static string Label(string subjectType) => subjectType switch
    {
        AnomalySubjects.Campaign => "Campaign",
        AnomalySubjects.AdSet => "Ad set",
        _ => "Ad",
    };

    private static string Z(AnomalyFinding finding) => finding.Z.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Format(decimal value, string unit) => unit switch
    {
        "money" => value.ToString("N2", CultureInfo.InvariantCulture),
        "ratio" => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}
