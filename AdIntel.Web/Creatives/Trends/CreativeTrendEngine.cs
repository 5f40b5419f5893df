using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Creatives.Trends;

/// <summary>One of the store's ads: when it was launched and its creative.</summary>
public sealed record StoreTrendAd(long AdId, DateOnly? Launched, string Format, string? CallToAction, string? PrimaryText, string? Headline, string? Description)
{
    public string Copy => string.Join('\n', new[] { PrimaryText, Headline, Description }.Where(t => !string.IsNullOrWhiteSpace(t)));
}

/// <summary>One day of one of the store's ads' delivery.</summary>
public sealed record TrendDeliveryDay(long AdId, DateOnly Date, long Impressions, decimal Spend, decimal PurchaseValue);

/// <summary>One competitor ad as the Ad Library shows it.</summary>
public sealed record LibraryTrendAd(DateOnly? Start, DateOnly? Stop, IReadOnlyList<string> Bodies, IReadOnlyList<string> LinkTitles)
{
    public string Copy => string.Join('\n', Bodies.Concat(LinkTitles));
}

public sealed record TrendWindow(DateOnly From, DateOnly To)
{
    public bool Contains(DateOnly day) => day >= From && day <= To;
}

/// <summary>How many of a window's ads have something, of how many (share null without ads).</summary>
public sealed record ShareFigure(int Count, int Total, decimal? Share);

/// <summary>One value of a dimension (a format, a hook, an offer, a call to action) in both windows; change in percentage points.</summary>
public sealed record ShareRow(string Key, string Label, ShareFigure Previous, ShareFigure Recent, decimal? ChangePoints);

/// <summary>How long ads had run by the end of a window: the ads judged, the winners (or long runners) among them and their median days running.</summary>
public sealed record RunLengthFigure(int Ads, int Winners, decimal? WinnersMedianDays, decimal? OthersMedianDays);

/// <summary>A change worth telling, with the figures behind it and the sentence that tells it.</summary>
public sealed record CreativeTrend(string Key, string Label, string Direction, string Sentence, ShareFigure? Previous, ShareFigure? Recent, decimal? ChangePoints,
    RunLengthFigure? PreviousRun, RunLengthFigure? RecentRun);

/// <summary>What changed in one dimension of one source's creatives between the windows.</summary>
public sealed record TrendDimension(string Source, string Dimension, string Title, int PreviousAds, int RecentAds, bool EnoughData, string Summary,
    IReadOnlyList<ShareRow> Shares, RunLengthFigure? PreviousRun, RunLengthFigure? RecentRun, IReadOnlyList<CreativeTrend> Trends);

public sealed record CreativeTrends(int WindowDays, TrendWindow Previous, TrendWindow Recent, IReadOnlyList<TrendDimension> Dimensions)
{
    public IEnumerable<CreativeTrend> All => Dimensions.SelectMany(d => d.Trends);
}

/// <summary>
/// What changed in the store's and its competitors' creatives between the recent window and the one before: formats,
/// hooks, offers and calls to action of the ads launched in each (shares, a change counts when it is at least
/// <see cref="MinChangePoints"/> points and a two-proportion z-test at 95 % says it is unlikely to be chance), and how
/// long winning ads run. Below <see cref="MinAdsPerWindow"/> ads in either window it says "not enough data" instead of
/// guessing. Pure: the same input always gives the same trends.
/// </summary>
public static class CreativeTrendEngine
{
    public const string StoreSource = "store";
    public const string CompetitorsSource = "competitors";

    public static class Dimensions
    {
        public const string Formats = "formats";
        public const string Hooks = "hooks";
        public const string Offers = "offers";
        public const string CallsToAction = "calls_to_action";
        public const string RunLength = "run_length";
    }

    public const int MinAdsPerWindow = 10;
    public const decimal MinChangePoints = 10m;
    /// <summary>|z| of a two-sided test at 95 %.</summary>
    public const double SignificantZ = 1.96;
    /// <summary>Winners (or long runners) each window needs before their run lengths are compared.</summary>
    public const int MinWinnersPerWindow = 5;
    /// <summary>A change in median days running that counts: at least this many days and <see cref="MinRunChangeShare"/> of the earlier median.</summary>
    public const int MinRunChangeDays = 7;
    public const decimal MinRunChangeShare = 0.25m;
    /// <summary>A competitor ad running this long is taken as a winner: advertisers rarely keep paying for an ad that does not work.</summary>
    public const int LongRunnerDays = 30;

    public const string MultipleVersions = "multiple";
    public const string SingleVersion = "single";

    public static (TrendWindow Previous, TrendWindow Recent) Windows(DateOnly to, int days) =>
        (new TrendWindow(to.AddDays(-2 * days + 1), to.AddDays(-days)), new TrendWindow(to.AddDays(-days + 1), to));

    public static CreativeTrends Analyse(DateOnly to, int days, IReadOnlyList<StoreTrendAd> storeAds, IReadOnlyList<TrendDeliveryDay> delivery,
        IReadOnlyList<LibraryTrendAd> competitorAds)
    {
        var (previous, recent) = Windows(to, days);
        var firstDelivery = delivery.Where(d => d.Spend > 0 || d.Impressions > 0).GroupBy(d => d.AdId).ToDictionary(g => g.Key, g => g.Min(d => d.Date));
        DateOnly? Launched(StoreTrendAd ad) => ad.Launched ?? (firstDelivery.TryGetValue(ad.AdId, out var first) ? first : null);
        var storeBefore = storeAds.Where(a => Launched(a) is { } d && previous.Contains(d)).ToList();
        var storeNow = storeAds.Where(a => Launched(a) is { } d && recent.Contains(d)).ToList();
        var theirsBefore = competitorAds.Where(a => a.Start is { } d && previous.Contains(d)).ToList();
        var theirsNow = competitorAds.Where(a => a.Start is { } d && recent.Contains(d)).ToList();

        var you = new Audience(StoreSource, "your new ads", "your ads");
        var them = new Audience(CompetitorsSource, "competitors' new ads", "competitors' ads");
        List<TrendDimension> dimensions =
        [
            Composition(you, Dimensions.Formats, "Formats", days, storeBefore, storeNow,
                CreativeFormats.All.Select(f => (f, char.ToUpperInvariant(f[0]) + f[1..])).ToList(), a => [a.Format]),
            Composition(them, Dimensions.Formats, "Single or several versions", days, theirsBefore, theirsNow,
                [(SingleVersion, "One version"), (MultipleVersions, "Several versions or cards")],
                a => [a.Bodies.Distinct().Count() > 1 || a.LinkTitles.Distinct().Count() > 1 ? MultipleVersions : SingleVersion]),
            Composition(you, Dimensions.Hooks, "Hooks", days, storeBefore, storeNow, CopyPatterns.Hooks.All, a => [CopyPatterns.Hook(a.PrimaryText)]),
            Composition(them, Dimensions.Hooks, "Hooks", days, theirsBefore, theirsNow, CopyPatterns.Hooks.All, a => [CopyPatterns.Hook(a.Bodies.FirstOrDefault())]),
            Composition(you, Dimensions.Offers, "Offers", days, storeBefore, storeNow, CopyPatterns.Offers.All, a => OfferKeys(a.Copy)),
            Composition(them, Dimensions.Offers, "Offers", days, theirsBefore, theirsNow, CopyPatterns.Offers.All, a => OfferKeys(a.Copy)),
            CallsToAction(you, "Calls to action (button)", days, storeBefore, storeNow, a => a.CallToAction ?? CopyPatterns.NoCallToAction, "No button"),
            CallsToAction(them, "Calls to action (in the text)", days, theirsBefore, theirsNow, a => CopyPatterns.CallToActionIn(a.Copy), "None in the text"),
            StoreRunLength(days, previous, recent, storeAds, delivery, Launched),
            CompetitorRunLength(days, previous, recent, competitorAds),
        ];
        return new CreativeTrends(days, previous, recent, dimensions);
    }

    private sealed record Audience(string Source, string NewAds, string Ads);

    private static IReadOnlyList<string> OfferKeys(string copy) => CopyPatterns.OffersIn(copy) is { Count: > 0 } offers ? offers : [CopyPatterns.Offers.None];

    private static TrendDimension CallsToAction<T>(Audience who, string title, int days, IReadOnlyList<T> before, IReadOnlyList<T> now, Func<T, string> cta,
        string noneLabel)
    {
        var keys = before.Concat(now).Select(cta).Distinct().Order(StringComparer.Ordinal)
            .Select(k => (k, CopyPatterns.CallToActionLabel(k, noneLabel))).ToList();
        return Composition(who, Dimensions.CallsToAction, title, days, before, now, keys, a => [cta(a)]);
    }

    /// <summary>Shares of each value among the ads launched in each window (an ad may count under several values, e.g. offers).</summary>
    private static TrendDimension Composition<T>(Audience who, string dimension, string title, int days, IReadOnlyList<T> before, IReadOnlyList<T> now,
        IReadOnlyList<(string Key, string Label)> values, Func<T, IReadOnlyList<string>> classify)
    {
        var beforeKeys = before.Select(classify).ToList();
        var nowKeys = now.Select(classify).ToList();
        var rows = values.Select(v =>
        {
            var p = Share(beforeKeys.Count(k => k.Contains(v.Key)), before.Count);
            var r = Share(nowKeys.Count(k => k.Contains(v.Key)), now.Count);
            return new ShareRow(v.Key, v.Label, p, r, p.Share is { } ps && r.Share is { } rs ? Math.Round((rs - ps) * 100, 1, MidpointRounding.AwayFromZero) : null);
        }).Where(r => r.Previous.Count + r.Recent.Count > 0).ToList();

        var enough = before.Count >= MinAdsPerWindow && now.Count >= MinAdsPerWindow;
        var trends = enough
            ? rows.Where(r => Math.Abs(r.ChangePoints!.Value) >= MinChangePoints && IsSignificant(r.Previous, r.Recent))
                .OrderByDescending(r => Math.Abs(r.ChangePoints!.Value)).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => ShareTrend(who, days, r)).ToList()
            : [];
        var summary = !enough
            ? NotEnough(who, days, before.Count, now.Count)
            : trends.Count == 0
                ? Invariant($"No clear change in {title.ToLowerInvariant()} between {who.NewAds} of the last {days} days ({now.Count}) and the {days} before ({before.Count}): no share moved by {MinChangePoints:0} points or more beyond what chance would explain.")
                : string.Join(" ", trends.Select(t => t.Sentence));
        return new TrendDimension(who.Source, dimension, title, before.Count, now.Count, enough, summary, rows, null, null, trends);
    }

    private static CreativeTrend ShareTrend(Audience who, int days, ShareRow row)
    {
        var rising = row.ChangePoints > 0;
        var sentence = Invariant(
            $"{row.Label}: {Percent(row.Recent.Share)} of {who.NewAds} in the last {days} days ({row.Recent.Count} of {row.Recent.Total}), {(rising ? "up" : "down")} from {Percent(row.Previous.Share)} ({row.Previous.Count} of {row.Previous.Total}) in the {days} days before.");
        return new CreativeTrend(row.Key, row.Label, rising ? "rising" : "falling", sentence, row.Previous, row.Recent, row.ChangePoints, null, null);
    }

    /// <summary>
    /// The store's winners: ads that delivered in the window with enough evidence (<see cref="AdEvidence"/>) whose ROAS
    /// beats the median of those ads. Days running: from launch to the ad's last day of delivery in the window.
    /// </summary>
    private static TrendDimension StoreRunLength(int days, TrendWindow previous, TrendWindow recent, IReadOnlyList<StoreTrendAd> ads,
        IReadOnlyList<TrendDeliveryDay> delivery, Func<StoreTrendAd, DateOnly?> launched)
    {
        var byAd = delivery.Where(d => d.Spend > 0 || d.Impressions > 0).ToLookup(d => d.AdId);
        RunLengthFigure Judge(TrendWindow window)
        {
            var runs = new List<(decimal Roas, int Days)>();
            foreach (var ad in ads)
            {
                var days = byAd[ad.AdId].Where(d => window.Contains(d.Date)).ToList();
                if (days.Count == 0 || launched(ad) is not { } start || !AdEvidence.IsEnough(days.Sum(d => d.Impressions), days.Sum(d => d.Spend)))
                {
                    continue;
                }
                var roas = KpiCalculator.Ratio(days.Sum(d => d.PurchaseValue), days.Sum(d => d.Spend)) ?? 0m;
                runs.Add((roas, days.Max(d => d.Date).DayNumber - start.DayNumber + 1));
            }
            if (runs.Count == 0)
            {
                return new RunLengthFigure(0, 0, null, null);
            }
            var median = Median(runs.Select(r => r.Roas));
            var winners = runs.Where(r => r.Roas > median).ToList();
            var others = runs.Where(r => r.Roas <= median).ToList();
            return new RunLengthFigure(runs.Count, winners.Count, Median(winners.Select(w => (decimal)w.Days)), Median(others.Select(o => (decimal)o.Days)));
        }
        return RunLength(new Audience(StoreSource, "your winning ads", "your ads"), days, Judge(previous), Judge(recent),
            "winning ads (ROAS above the median of the ads with " + AdEvidence.Threshold + " in the window)");
    }

    /// <summary>Competitors' long runners (running at least <see cref="LongRunnerDays"/> days by the window's end) stand in for their winners.</summary>
    private static TrendDimension CompetitorRunLength(int days, TrendWindow previous, TrendWindow recent, IReadOnlyList<LibraryTrendAd> ads)
    {
        RunLengthFigure Judge(TrendWindow window)
        {
            var running = ads.Where(a => a.Start is { } s && s <= window.To && (a.Stop is not { } stop || stop >= window.From))
                .Select(a => (a.Stop is { } stop && stop < window.To ? stop : window.To).DayNumber - a.Start!.Value.DayNumber + 1).ToList();
            var longRunners = running.Where(d => d >= LongRunnerDays).Select(d => (decimal)d).ToList();
            return new RunLengthFigure(running.Count, longRunners.Count, Median(longRunners), Median(running.Where(d => d < LongRunnerDays).Select(d => (decimal)d)));
        }
        var dimension = RunLength(new Audience(CompetitorsSource, "competitors' long-running ads", "competitors' ads"), days, Judge(previous), Judge(recent),
            Invariant($"long-running ads (running {LongRunnerDays} days or more, the sign of an ad worth paying for)"));
        // Among competitors the share of long runners is itself telling: more ads kept running means more that work.
        var (p, r) = (dimension.PreviousRun!, dimension.RecentRun!);
        if (!dimension.EnoughData || p.Ads < MinAdsPerWindow || r.Ads < MinAdsPerWindow)
        {
            return dimension;
        }
        var (shareBefore, shareNow) = (Share(p.Winners, p.Ads), Share(r.Winners, r.Ads));
        var change = Math.Round((shareNow.Share!.Value - shareBefore.Share!.Value) * 100, 1, MidpointRounding.AwayFromZero);
        if (Math.Abs(change) < MinChangePoints || !IsSignificant(shareBefore, shareNow))
        {
            return dimension;
        }
        var rising = change > 0;
        var trend = new CreativeTrend("long_runner_share", "Long runners", rising ? "rising" : "falling", Invariant(
            $"{Percent(shareNow.Share)} of competitors' running ads had run {LongRunnerDays} days or more by the end of the last {days} days ({r.Winners} of {r.Ads}), {(rising ? "up" : "down")} from {Percent(shareBefore.Share)} ({p.Winners} of {p.Ads}) in the {days} days before."),
            shareBefore, shareNow, change, p, r);
        List<CreativeTrend> trends = [.. dimension.Trends, trend];
        return dimension with { Trends = trends, Summary = string.Join(" ", trends.Select(t => t.Sentence)) };
    }

    private static TrendDimension RunLength(Audience who, int days, RunLengthFigure before, RunLengthFigure now, string whatWinnersAre)
    {
        var enough = before.Winners >= MinWinnersPerWindow && now.Winners >= MinWinnersPerWindow;
        List<CreativeTrend> trends = [];
        string summary;
        if (!enough)
        {
            summary = Invariant(
                $"Not enough data: {now.Winners} {whatWinnersAre} in the last {days} days and {before.Winners} in the {days} before; comparing how long they run needs at least {MinWinnersPerWindow} in each.");
        }
        else
        {
            var (was, isNow) = (before.WinnersMedianDays!.Value, now.WinnersMedianDays!.Value);
            var change = isNow - was;
            summary = Invariant(
                $"The median of {who.NewAds} had run {isNow:0.#} days by the end of the last {days} days ({now.Winners} ads), against {was:0.#} days in the {days} days before ({before.Winners} ads).");
            if (Math.Abs(change) >= MinRunChangeDays && Math.Abs(change) >= MinRunChangeShare * was)
            {
                var longer = change > 0;
                var sentence = Invariant(
                    $"{char.ToUpperInvariant(who.NewAds[0])}{who.NewAds[1..]} run {(longer ? "longer" : "shorter")}: a median of {isNow:0.#} days by the end of the last {days} days ({now.Winners} ads), against {was:0.#} days in the {days} days before ({before.Winners} ads).");
                trends.Add(new CreativeTrend("winner_days", "Days running of " + who.NewAds, longer ? "longer" : "shorter", sentence, null, null, null, before, now));
                summary = sentence;
            }
            else
            {
                summary += Invariant($" No clear change (a change counts from {MinRunChangeDays} days and {MinRunChangeShare:P0} of the earlier median).");
            }
        }
        return new TrendDimension(who.Source, Dimensions.RunLength, "How long winning ads run", before.Ads, now.Ads, enough, summary, [], before, now, trends);
    }

    private static string NotEnough(Audience who, int days, int before, int now) => Invariant(
        $"Not enough data: {now} of {who.Ads} launched in the last {days} days and {before} in the {days} before; a trend needs at least {MinAdsPerWindow} in each.");

    private static ShareFigure Share(int count, int total) =>
        new(count, total, total == 0 ? null : Math.Round((decimal)count / total, 4, MidpointRounding.AwayFromZero));

    /// <summary>Two-proportion z-test with the pooled share: |z| at least <see cref="SignificantZ"/>.</summary>
    public static bool IsSignificant(ShareFigure before, ShareFigure now)
    {
        if (before.Total == 0 || now.Total == 0)
        {
            return false;
        }
        var pooled = (double)(before.Count + now.Count) / (before.Total + now.Total);
        var variance = pooled * (1 - pooled) * (1.0 / before.Total + 1.0 / now.Total);
        if (variance <= 0)
        {
            return false;
        }
        var z = ((double)now.Count / now.Total - (double)before.Count / before.Total) / Math.Sqrt(variance);
        return Math.Abs(z) >= SignificantZ;
    }

    private static decimal? Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Percent(decimal? share) => share is { } s ? Invariant($"{s * 100:0.#}%") : "–";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
