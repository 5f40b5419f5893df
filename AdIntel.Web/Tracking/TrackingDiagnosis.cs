using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tracking;

/// <summary>What the diagnosis reads: the store's daily facts and, when Meta is connected, its dataset as last synced.</summary>
public sealed record TrackingEvidence
{
    /// <summary>The store's today (its time zone).</summary>
    public required DateOnly Today { get; init; }
    public required DateTime NowUtc { get; init; }
    /// <summary>The first day diagnosed; incidents before it are not listed.</summary>
    public required DateOnly From { get; init; }
    /// <summary>Daily facts from <see cref="TrackingHealth.BaselineDays"/> + <see cref="TrackingHealth.LookbackDays"/> days before <see cref="From"/> to yesterday, oldest first.</summary>
    public required IReadOnlyList<DailyStoreFacts> Facts { get; init; }
    public required decimal DropPercent { get; init; }
    public required bool MetaConnected { get; init; }
    public TrackingDataset? Dataset { get; init; }
    /// <summary>The dataset's Purchase counts by source per UTC day, oldest first.</summary>
    public IReadOnlyList<TrackingEventDay> PurchaseDays { get; init; } = [];
}

/// <summary>A named tracking problem with its evidence; <see cref="Current"/> ones raise alerts, <see cref="BreaksTracking"/> ones hold automation.</summary>
public sealed record TrackingProblem(string Code, string Severity, string Title, string Message, string NextStep, DateOnly? Since, DateOnly? Until,
    bool Current, bool BreaksTracking, IReadOnlyList<AlertFigure> Figures)
{
    /// <summary>The alert condition of a current problem: one per kind of problem.</summary>
    public string ConditionKey => "tracking:" + Code;
}

/// <summary>
/// The named tracking problems (docs/tracking.md#diagnoses), each with its threshold:
/// <list type="bullet">
/// <item><c>coverage_drop</c>: the circuit breaker's test (<see cref="TrackingHealth"/>) — Meta reported far fewer
/// purchases than its usual share of Shopify orders, beyond chance. Current while any of the last 7 complete days is
/// broken; earlier runs of broken days are listed as past incidents.</item>
/// <item><c>events_not_received</c>: the dataset is unavailable, or no Purchase reached it from either source on the
/// complete days since a date while Shopify had at least <see cref="TrackingHealth.MinOrders"/> orders.</item>
/// <item><c>server_purchases_missing</c>: the Conversions API sent purchases in the 28 days before, and none on the last
/// <see cref="MissingServerDays"/> or more complete days (the pixel goes on).</item>
/// <item><c>no_conversions_api</c>: the pixel sends purchases, the Conversions API has sent none in 28 days.</item>
/// <item><c>missing_event_id</c>: both sources send purchases but fewer than <see cref="MinEventIdPercent"/> % of one
/// side's carry an event_id, so Meta counts the same purchase twice.</item>
/// <item><c>low_match_quality</c>: Purchase's Event Match Quality below <see cref="GoodMatchQuality"/>; names the
/// customer-information keys sent with fewer than half of the events.</item>
/// <item><c>stale_dataset_sync</c>: the dataset was last read more than <see cref="StaleSyncHours"/> hours ago.</item>
/// </list>
/// </summary>
public static class TrackingDiagnosis
{
    public const int MissingServerDays = 2;
    public const decimal MinEventIdPercent = 90m;
    public const decimal GoodMatchQuality = 6.0m;
    public const decimal WeakKeyPercent = 50m;
    public const int StaleSyncHours = 48;
    private const int HistoryDays = 28;

    /// <summary>The match keys that matter most for Purchase, in the order they are suggested.</summary>
    private static readonly (string Key, string Name)[] MatchKeys =
    [
        ("email", "email"), ("phone", "phone"), ("external_id", "external_id"), ("fbc", "fbc (click id)"), ("fbp", "fbp (browser id)"),
        ("client_ip_address", "IP address"), ("client_user_agent", "user agent"),
    ];

    public static IReadOnlyList<TrackingProblem> Diagnose(TrackingEvidence evidence)
    {
        var problems = new List<TrackingProblem>();
        problems.AddRange(CoverageDrops(evidence));
        if (evidence.Dataset is { } dataset)
        {
            var received = EventsNotReceived(evidence, dataset);
            if (received is not null)
            {
                problems.Add(received);
            }
            else if (ServerPurchasesMissing(evidence) is { } missing)
            {
                problems.Add(missing);
            }
            if (NoConversionsApi(evidence) is { } noCapi)
            {
                problems.Add(noCapi);
            }
            if (MissingEventId(evidence, dataset) is { } dedup)
            {
                problems.Add(dedup);
            }
            if (LowMatchQuality(dataset) is { } emq)
            {
                problems.Add(emq);
            }
            if (evidence.NowUtc - dataset.SyncedAtUtc > TimeSpan.FromHours(StaleSyncHours))
            {
                var hours = (int)(evidence.NowUtc - dataset.SyncedAtUtc).TotalHours;
                problems.Add(new TrackingProblem("stale_dataset_sync", AlertSeverities.Low, $"Dataset figures are {hours} hours old",
                    $"The pixel's status and Event Match Quality were last read from Meta {hours} hours ago; what this page says about them may be out of date.",
                    "Check Settings → Integrations: the Meta connection may need attention, then choose Sync now.",
                    null, null, true, false, [new AlertFigure("Hours since the last dataset sync", hours, "count")]));
            }
        }
        return [.. problems.OrderByDescending(p => p.Current).ThenByDescending(p => AlertSeverities.Rank(p.Severity)).ThenByDescending(p => p.Since)];
    }

    /// <summary>The one verdict the automation circuit breaker reads: the facts' test, broken also by a current breaking problem of the dataset.</summary>
    public static TrackingStatus Status(TrackingEvidence evidence, IReadOnlyList<TrackingProblem> problems)
    {
        var facts = TrackingHealth.Evaluate(evidence.Facts, evidence.Today, evidence.DropPercent);
        var breaking = problems.FirstOrDefault(p => p.Current && p.BreaksTracking && p.Code != "coverage_drop");
        if (breaking is null || facts.Broken)
        {
            return facts;
        }
        return facts with { Broken = true, Explanation = $"Tracking looks broken: {breaking.Title}. {breaking.Message}" };
    }

    private static IEnumerable<TrackingProblem> CoverageDrops(TrackingEvidence evidence)
    {
        var yesterday = evidence.Today.AddDays(-1);
        var current = TrackingHealth.Evaluate(evidence.Facts, evidence.Today, evidence.DropPercent);
        var all = TrackingHealth.BrokenDaysBetween(evidence.Facts, evidence.From, yesterday, evidence.DropPercent).Union(current.BrokenDays).Order().ToList();
        var byDate = evidence.Facts.ToDictionary(f => f.Date);
        foreach (var run in Runs(all))
        {
            var isCurrent = run.Any(current.BrokenDays.Contains);
            // The same test, judged the day after the run: each day's purchases as the usual share predicts them.
            var judged = isCurrent ? current : TrackingHealth.Evaluate(evidence.Facts, run[^1].AddDays(1), evidence.DropPercent);
            var orders = run.Sum(d => byDate[d].Orders);
            var purchases = run.Sum(d => byDate[d].PlatformPurchases);
            var expected = run.Sum(d => judged.ExpectedPurchases.GetValueOrDefault(d));
            var coverage = orders > 0 ? purchases / orders : 0;
            var usual = orders > 0 ? expected / orders : 0;
            var span = Span(run[0], run[^1]);
            yield return new TrackingProblem("coverage_drop", isCurrent ? AlertSeverities.Critical : AlertSeverities.Medium,
                string.Create(CultureInfo.InvariantCulture, $"Coverage {coverage * 100:0} % for {Days(run.Count)}"),
                string.Create(CultureInfo.InvariantCulture,
                    $"{span}: Meta reported {purchases:0} purchases for {orders} Shopify orders ({coverage * 100:0} %), where it usually reports {usual * 100:0} % (about {expected:0} purchases) — far more missing than chance explains.")
                    + (isCurrent ? " Rules would judge ads on these numbers, so automation waits for approval." : " Tracking has recovered since."),
                "Check in Events Manager that the pixel and the Conversions API both sent Purchase on those days; look for a theme or checkout change, a consent-banner change, or an expired Conversions API token.",
                run[0], run[^1], isCurrent, isCurrent,
                [
                    new AlertFigure("Purchase coverage", Math.Round(coverage * 100, 1), "percent"),
                    new AlertFigure("Usual coverage", Math.Round(usual * 100, 1), "percent"),
                    new AlertFigure("Shopify orders", orders, "count"),
                    new AlertFigure("Meta purchases", Math.Round(purchases, 1), "count"),
                    new AlertFigure("Days", run.Count, "days"),
                ]);
        }
    }

    private static TrackingProblem? EventsNotReceived(TrackingEvidence evidence, TrackingDataset dataset)
    {
        var orders = OrdersByDay(evidence);
        if (dataset.IsUnavailable)
        {
            return new TrackingProblem("events_not_received", AlertSeverities.Critical, "Pixel unavailable",
                $"Meta reports the dataset \"{dataset.Name}\" ({dataset.DatasetId}) as unavailable: it receives no events, so Meta sees no purchases.",
                "Open Events Manager: restore the dataset or connect the one your store uses now, then sync again.",
                null, null, true, true, [new AlertFigure("Shopify orders, last 7 days", LastDays(orders, evidence.Today, 7), "count")]);
        }
        // The last complete days on which no Purchase arrived from either source.
        var silent = SilentRun(evidence, c => c.BrowserCount + c.ServerCount == 0);
        if (silent is not { } since)
        {
            return null;
        }
        var ordersSince = OrdersBetween(orders, since, evidence.Today.AddDays(-1));
        if (ordersSince < TrackingHealth.MinOrders)
        {
            return null;
        }
        var lastFired = dataset.LastFiredAtUtc is { } fired ? fired.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";
        return new TrackingProblem("events_not_received", AlertSeverities.Critical, $"No purchases received since {Short(since)}",
            $"Meta received no Purchase event from the pixel or the Conversions API since {Short(since)}, while Shopify recorded {ordersSince} orders. The dataset last received any event {lastFired}.",
            "Check that the pixel is still installed (Shopify's Facebook & Instagram app, data sharing on), and in Events Manager's Test events that a purchase arrives; then send a test event from this page.",
            since, evidence.Today.AddDays(-1), true, true,
            [
                new AlertFigure("Shopify orders since", ordersSince, "count"),
                new AlertFigure("Meta purchases since", 0, "count"),
                new AlertFigure("Days without purchases", evidence.Today.DayNumber - since.DayNumber, "days"),
            ]);
    }

    private static TrackingProblem? ServerPurchasesMissing(TrackingEvidence evidence)
    {
        if (SilentRun(evidence, c => c.ServerCount == 0) is not { } since
            || evidence.Today.DayNumber - since.DayNumber < MissingServerDays
            || !evidence.PurchaseDays.Any(d => d.Date < since && d.Date >= since.AddDays(-HistoryDays) && d.ServerCount > 0))
        {
            return null;
        }
        var ordersSince = OrdersBetween(OrdersByDay(evidence), since, evidence.Today.AddDays(-1));
        var browserSince = evidence.PurchaseDays.Where(d => d.Date >= since && d.Date < evidence.Today).Sum(d => d.BrowserCount);
        var serverBefore = evidence.PurchaseDays.Where(d => d.Date < since && d.Date >= since.AddDays(-7)).Sum(d => d.ServerCount);
        return new TrackingProblem("server_purchases_missing", AlertSeverities.High, $"Server purchases missing since {Short(since)}",
            $"The Conversions API sent no Purchase since {Short(since)} ({serverBefore} in the 7 days before); only the browser pixel reported {browserSince} purchases for {ordersSince} Shopify orders. Purchases blocked in the browser (ad blockers, consent, iOS) are now lost to Meta.",
            "Reconnect the Conversions API (Shopify's Facebook & Instagram app: data sharing set to Maximum) or renew its access token, then send a test event from this page.",
            since, evidence.Today.AddDays(-1), true, false,
            [
                new AlertFigure("Server purchases since", 0, "count"),
                new AlertFigure("Server purchases, 7 days before", serverBefore, "count"),
                new AlertFigure("Browser purchases since", browserSince, "count"),
                new AlertFigure("Shopify orders since", ordersSince, "count"),
            ]);
    }

    private static TrackingProblem? NoConversionsApi(TrackingEvidence evidence)
    {
        var recent = evidence.PurchaseDays.Where(d => d.Date >= evidence.Today.AddDays(-HistoryDays) && d.Date < evidence.Today).ToList();
        var browser = recent.Sum(d => d.BrowserCount);
        if (browser == 0 || recent.Any(d => d.ServerCount > 0))
        {
            return null;
        }
        return new TrackingProblem("no_conversions_api", AlertSeverities.Medium, "Conversions API not sending purchases",
            $"Only the browser pixel sent purchases in the last {HistoryDays} days ({browser}); the Conversions API sent none. Purchases the browser does not report (ad blockers, declined cookies, iOS) never reach Meta.",
            "Set up the Conversions API (Shopify's Facebook & Instagram app: data sharing set to Maximum) with the same event_id as the pixel.",
            null, null, true, false, [new AlertFigure("Browser purchases, 28 days", browser, "count"), new AlertFigure("Server purchases, 28 days", 0, "count")]);
    }

    private static TrackingProblem? MissingEventId(TrackingEvidence evidence, TrackingDataset dataset)
    {
        var week = evidence.PurchaseDays.Where(d => d.Date >= evidence.Today.AddDays(-7) && d.Date < evidence.Today).ToList();
        var (browser, server) = (week.Sum(d => d.BrowserCount), week.Sum(d => d.ServerCount));
        if (browser == 0 || server == 0 || DedupPercent(dataset) is not { } share || share >= MinEventIdPercent)
        {
            return null;
        }
        var orders = LastDays(OrdersByDay(evidence), evidence.Today, 7);
        var side = (dataset.ServerEventIdPercent ?? 100) <= (dataset.BrowserEventIdPercent ?? 100) ? "server" : "browser";
        return new TrackingProblem("missing_event_id", AlertSeverities.High,
            string.Create(CultureInfo.InvariantCulture, $"Purchases counted twice: {share:0} % of {side} events carry an event_id"),
            string.Create(CultureInfo.InvariantCulture,
                $"Both the pixel ({browser}) and the Conversions API ({server}) sent purchases in the last 7 days, but only {share:0} % of the {side} purchases carry an event_id, so Meta cannot merge the pair and counts one order twice (Shopify: {orders} orders). Reported ROAS is inflated."),
            "Send the same event_id (the order id) with the pixel's Purchase and the Conversions API's, so Meta merges them.",
            null, null, true, false,
            [
                new AlertFigure("Events with event_id", share, "percent"),
                new AlertFigure("Browser purchases, 7 days", browser, "count"),
                new AlertFigure("Server purchases, 7 days", server, "count"),
                new AlertFigure("Shopify orders, 7 days", orders, "count"),
            ]);
    }

    private static TrackingProblem? LowMatchQuality(TrackingDataset dataset)
    {
        if (dataset.MatchQuality is not { } score || score >= GoodMatchQuality)
        {
            return null;
        }
        var coverage = MatchKeyCoverage(dataset);
        var weak = MatchKeys.Where(k => coverage.GetValueOrDefault(k.Key) < WeakKeyPercent).Take(3).ToList();
        var advice = weak.Count == 0 ? "send more customer information" : "add " + JoinAnd(weak.Select(k => k.Name));
        return new TrackingProblem("low_match_quality", score < 4 ? AlertSeverities.High : AlertSeverities.Medium,
            string.Create(CultureInfo.InvariantCulture, $"EMQ {score:0.0}: {advice}"),
            string.Create(CultureInfo.InvariantCulture,
                $"Meta matches Purchase events to people with an Event Match Quality of {score:0.0} out of 10 (good from {GoodMatchQuality:0.0}). ")
                + (weak.Count == 0 ? "" : "Sent with fewer than half of the purchases: " + string.Join(", ", weak.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Name} {coverage.GetValueOrDefault(k.Key):0} %"))) + ". ")
                + "Poorly matched purchases are not attributed to the ads that drove them.",
            "Send hashed email, phone and external_id (the customer id) with every Conversions API Purchase, and pass fbc/fbp from the browser.",
            null, null, true, false,
            [
                new AlertFigure("Event Match Quality", score, "ratio"),
                .. weak.Select(k => new AlertFigure($"Purchases with {k.Name}", coverage.GetValueOrDefault(k.Key), "percent")),
            ]);
    }

    /// <summary>The share of purchases Meta can merge across browser and server: the smaller of the two sides' event_id shares.</summary>
    public static decimal? DedupPercent(TrackingDataset dataset) =>
        (dataset.BrowserEventIdPercent, dataset.ServerEventIdPercent) switch
        {
            ({ } b, { } s) => Math.Min(b, s),
            ({ } b, null) => b,
            (null, { } s) => s,
            _ => null,
        };

    public static IReadOnlyDictionary<string, decimal> MatchKeyCoverage(TrackingDataset dataset)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, decimal>>(dataset.MatchKeysJson) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, decimal>();
        }
    }

    /// <summary>
    /// The first of the complete days, ending yesterday, on which <paramref name="silent"/> held for the day's Purchase
    /// counts (a day Meta has no row for counts as silent) — null when yesterday was not silent or the dataset has no
    /// earlier day that was not.
    /// </summary>
    private static DateOnly? SilentRun(TrackingEvidence evidence, Func<TrackingEventDay, bool> silent)
    {
        var byDate = evidence.PurchaseDays.ToDictionary(d => d.Date);
        bool IsSilent(DateOnly day) => !byDate.TryGetValue(day, out var counts) || silent(counts);
        var day = evidence.Today.AddDays(-1);
        if (!IsSilent(day) || evidence.PurchaseDays.Count == 0)
        {
            return null;
        }
        var first = evidence.PurchaseDays[0].Date;
        while (day > first && IsSilent(day.AddDays(-1)))
        {
            day = day.AddDays(-1);
        }
        return day > first ? day : null;
    }

    private static Dictionary<DateOnly, int> OrdersByDay(TrackingEvidence evidence) => evidence.Facts.ToDictionary(f => f.Date, f => f.Orders);

    private static int OrdersBetween(Dictionary<DateOnly, int> orders, DateOnly from, DateOnly to) =>
        orders.Where(o => o.Key >= from && o.Key <= to).Sum(o => o.Value);

    private static int LastDays(Dictionary<DateOnly, int> orders, DateOnly today, int days) => OrdersBetween(orders, today.AddDays(-days), today.AddDays(-1));

    private static IEnumerable<List<DateOnly>> Runs(IReadOnlyList<DateOnly> days)
    {
        var run = new List<DateOnly>();
        foreach (var day in days)
        {
            if (run.Count > 0 && run[^1].AddDays(1) != day)
            {
                yield return run;
                run = [];
            }
            run.Add(day);
        }
        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private static string Short(DateOnly day) => day.ToString("MMM d", CultureInfo.InvariantCulture);

    private static string Span(DateOnly from, DateOnly to) => from == to ? $"On {Short(from)}" : $"From {Short(from)} to {Short(to)}";

    private static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    private static string JoinAnd(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Join("", list) : string.Join(", ", list[..^1]) + " and " + list[^1];
    }
}
