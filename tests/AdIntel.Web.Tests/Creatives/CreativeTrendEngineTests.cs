using AdIntel.Web.Creatives.Trends;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// The trends engine on constructed creatives: a shift in formats, hooks, offers, calls to action or run lengths shows
/// up as a trend with its figures, an unchanged mix shows none, and thin windows say "not enough data" instead.
/// </summary>
public sealed class CreativeTrendEngineTests
{
    private static readonly DateOnly To = new(2026, 6, 30);
    private const int Days = 30;
    private static readonly DateOnly RecentDay = To.AddDays(-5);
    private static readonly DateOnly PreviousDay = To.AddDays(-Days - 5);

    [Theory]
    [InlineData("Cold feet on the trail? Try merino.", CopyPatterns.Hooks.Question)]
    [InlineData("3 reasons hikers switch to merino. Shop now.", CopyPatterns.Hooks.Number)]
    [InlineData("How to layer for a wet summit day.", CopyPatterns.Hooks.HowTo)]
    [InlineData("\"Best socks I've owned.\" – Sam, verified buyer", CopyPatterns.Hooks.Testimonial)]
    [InlineData("Rated 4.8/5 by 12,000 hikers.", CopyPatterns.Hooks.Testimonial)]
    [InlineData("25% off every jacket this weekend.", CopyPatterns.Hooks.Offer)]
    [InlineData("Summer sale: our warmest fleece.", CopyPatterns.Hooks.Offer)]
    [InlineData("Made for long days outside. 60-day returns?", CopyPatterns.Hooks.Statement)]
    [InlineData("", CopyPatterns.Hooks.Statement)]
    public void The_opening_line_names_the_hook(string text, string hook) => Assert.Equal(hook, CopyPatterns.Hook(text));

    [Theory]
    [InlineData("Take 20% off today", new[] { CopyPatterns.Offers.PercentOff })]
    [InlineData("Save $15 on boots", new[] { CopyPatterns.Offers.AmountOff })]
    [InlineData("Free shipping on orders over $75", new[] { CopyPatterns.Offers.FreeShipping })]
    [InlineData("Buy one, get one on socks", new[] { CopyPatterns.Offers.Bogo })]
    [InlineData("The 3-pack bundle, now $49", new[] { CopyPatterns.Offers.Bundle, CopyPatterns.Offers.PricePoint })]
    [InlineData("$10 off and free returns", new[] { CopyPatterns.Offers.AmountOff, CopyPatterns.Offers.FreeReturns })]
    [InlineData("Built for the long haul.", new string[0])]
    public void Offers_are_read_from_the_copy(string text, string[] offers) => Assert.Equal(offers, CopyPatterns.OffersIn(text));

    [Theory]
    [InlineData("Linen shirts. Shop now at example.com", "SHOP_NOW")]
    [InlineData("New season. Learn more about our fabrics.", "LEARN_MORE")]
    [InlineData("Sign up for early access.", "SIGN_UP")]
    [InlineData("Claim your 20% code.", "GET_OFFER")]
    [InlineData("Linen shirts for warm days.", CopyPatterns.NoCallToAction)]
    public void A_call_to_action_is_read_from_the_text(string text, string type) => Assert.Equal(type, CopyPatterns.CallToActionIn(text));

    [Fact]
    public void A_shift_from_image_to_video_is_a_trend_with_its_figures()
    {
        List<StoreTrendAd> ads =
        [
            .. Many(20, i => Own(i, CreativeFormats.Image, "Made for long days outside.")),
            .. Many(8, i => Own(100 + i, CreativeFormats.Image, "Made for long days outside.")),
            .. Many(12, i => Own(200 + i, CreativeFormats.Video, "Made for long days outside.")),
        ];

        var trends = CreativeTrendEngine.Analyse(To, Days, ads, [], []);

        var formats = Dimension(trends, CreativeTrendEngine.StoreSource, CreativeTrendEngine.Dimensions.Formats);
        Assert.True(formats.EnoughData);
        Assert.Equal((20, 20), (formats.PreviousAds, formats.RecentAds));
        var video = Assert.Single(formats.Trends, t => t.Key == CreativeFormats.Video);
        Assert.Equal("rising", video.Direction);
        Assert.Equal(new ShareFigure(0, 20, 0m), video.Previous);
        Assert.Equal(new ShareFigure(12, 20, 0.6m), video.Recent);
        Assert.Equal(60m, video.ChangePoints);
        Assert.Equal("Video: 60% of your new ads in the last 30 days (12 of 20), up from 0% (0 of 20) in the 30 days before.", video.Sentence);
        Assert.Equal("falling", Assert.Single(formats.Trends, t => t.Key == CreativeFormats.Image).Direction);
        // Hooks did not change: no trend is invented there.
        var hooks = Dimension(trends, CreativeTrendEngine.StoreSource, CreativeTrendEngine.Dimensions.Hooks);
        Assert.True(hooks.EnoughData);
        Assert.Empty(hooks.Trends);
        Assert.StartsWith("No clear change in hooks", hooks.Summary, StringComparison.Ordinal);
        Assert.Equal(new ShareFigure(20, 20, 1m), Assert.Single(hooks.Shares).Recent);
    }

    [Fact]
    public void Thin_windows_say_not_enough_data_and_show_no_trend()
    {
        List<StoreTrendAd> ads =
        [
            .. Many(4, i => Own(i, CreativeFormats.Image, "Made for long days outside.")),
            .. Many(9, i => Own(100 + i, CreativeFormats.Video, "Cold feet? 25% off merino socks.")),
        ];
        List<LibraryTrendAd> competitors = [.. Many(3, _ => Theirs(RecentDay, null, "Linen shirts – 30% off. Shop now."))];

        var trends = CreativeTrendEngine.Analyse(To, Days, ads, [], competitors);

        Assert.Empty(trends.All);
        Assert.All(trends.Dimensions, d => Assert.False(d.EnoughData));
        var formats = Dimension(trends, CreativeTrendEngine.StoreSource, CreativeTrendEngine.Dimensions.Formats);
        Assert.Equal("Not enough data: 9 of your ads launched in the last 30 days and 4 in the 30 before; a trend needs at least 10 in each.", formats.Summary);
        // The figures are still there to read.
        Assert.Equal(new ShareFigure(9, 9, 1m), formats.Shares.Single(s => s.Key == CreativeFormats.Video).Recent);
        Assert.StartsWith("Not enough data: 3 of competitors' ads", Dimension(trends, CreativeTrendEngine.CompetitorsSource, CreativeTrendEngine.Dimensions.Offers).Summary,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_wobble_is_not_a_trend()
    {
        // 9 of 20 against 11 of 20 question hooks: 10 points, but well within chance.
        List<StoreTrendAd> ads =
        [
            .. Many(20, i => Own(i, CreativeFormats.Image, i < 9 ? "Cold feet?" : "Made for long days outside.")),
            .. Many(20, i => Own(100 + i, CreativeFormats.Image, i < 11 ? "Cold feet?" : "Made for long days outside.")),
        ];
        var hooks = Dimension(CreativeTrendEngine.Analyse(To, Days, ads, [], []), CreativeTrendEngine.StoreSource, CreativeTrendEngine.Dimensions.Hooks);
        Assert.Equal(10m, hooks.Shares.Single(s => s.Key == CopyPatterns.Hooks.Question).ChangePoints);
        Assert.Empty(hooks.Trends);
    }

    [Fact]
    public void Competitors_moving_to_percent_off_and_shop_now_are_trends()
    {
        List<LibraryTrendAd> competitors =
        [
            .. Many(15, _ => Theirs(PreviousDay, null, "Linen shirts for warm days. Learn more.")),
            .. Many(15, i => Theirs(RecentDay, null, i < 10 ? "Linen shirts, 30% off this week. Shop now." : "Linen shirts for warm days. Learn more.")),
        ];

        var trends = CreativeTrendEngine.Analyse(To, Days, [], [], competitors);

        var offers = Dimension(trends, CreativeTrendEngine.CompetitorsSource, CreativeTrendEngine.Dimensions.Offers);
        var percent = Assert.Single(offers.Trends, t => t.Key == CopyPatterns.Offers.PercentOff);
        Assert.Equal((0, 15, 10, 15), (percent.Previous!.Count, percent.Previous.Total, percent.Recent!.Count, percent.Recent.Total));
        Assert.Contains("of competitors' new ads", percent.Sentence, StringComparison.Ordinal);
        var ctas = Dimension(trends, CreativeTrendEngine.CompetitorsSource, CreativeTrendEngine.Dimensions.CallsToAction);
        Assert.Equal("rising", Assert.Single(ctas.Trends, t => t.Key == "SHOP_NOW").Direction);
        Assert.Equal("Shop now", ctas.Shares.Single(s => s.Key == "SHOP_NOW").Label);
        var hooks = Dimension(trends, CreativeTrendEngine.CompetitorsSource, CreativeTrendEngine.Dimensions.Hooks);
        Assert.Equal("rising", Assert.Single(hooks.Trends, t => t.Key == CopyPatterns.Hooks.Offer).Direction);
        // The store has no ads: its side says so.
        Assert.False(Dimension(trends, CreativeTrendEngine.StoreSource, CreativeTrendEngine.Dimensions.Hooks).EnoughData);
    }

    [Fact]
    public void Competitors_keeping_ads_running_longer_is_a_trend()
    {
        // Before: 20 short runners and 14 long ones in the window; now 12 of the 14 running ads are long runners.
        var previousEnd = To.AddDays(-Days);
        List<LibraryTrendAd> competitors =
        [
            .. Many(20, _ => Theirs(previousEnd.AddDays(-10), previousEnd.AddDays(-1), "Short runner.")),
            .. Many(2, _ => Theirs(previousEnd.AddDays(-40), previousEnd.AddDays(-2), "Early long runner.")),
            .. Many(12, _ => Theirs(To.AddDays(-70), null, "Long runner.")),
            .. Many(2, _ => Theirs(To.AddDays(-3), null, "New.")),
        ];

        var run = Dimension(CreativeTrendEngine.Analyse(To, Days, [], [], competitors), CreativeTrendEngine.CompetitorsSource, CreativeTrendEngine.Dimensions.RunLength);

        // The 12 long runners (started 70 days before the end) already ran in the previous window, 40 days old by its end.
        Assert.Equal(new RunLengthFigure(34, 14, 41m, 10m), run.PreviousRun);
        Assert.Equal(new RunLengthFigure(14, 12, 71m, 4m), run.RecentRun);
        Assert.True(run.EnoughData);
        var longer = Assert.Single(run.Trends, t => t.Key == "winner_days");
        Assert.Equal("longer", longer.Direction);
        var share = Assert.Single(run.Trends, t => t.Key == "long_runner_share");
        Assert.Equal("rising", share.Direction);
        Assert.Equal(new ShareFigure(12, 14, 0.8571m), share.Recent);
    }

    [Fact]
    public void The_stores_winners_are_ads_beating_the_median_roas_with_enough_evidence()
    {
        // Ten ads in each window with enough delivery; the five best by ROAS are winners. Before, winners were 10 days
        // old by their last delivery; now they are long-running ones launched 80 days back.
        var ads = new List<StoreTrendAd>();
        var delivery = new List<TrendDeliveryDay>();
        var previousEnd = To.AddDays(-Days);
        for (var i = 0; i < 10; i++)
        {
            var winner = i < 5;
            var before = Own(i, CreativeFormats.Image, "x") with { Launched = previousEnd.AddDays(winner ? -9 : -20) };
            var now = Own(100 + i, CreativeFormats.Image, "x") with { Launched = To.AddDays(winner ? -79 : -20) };
            ads.AddRange([before, now]);
            delivery.Add(new TrendDeliveryDay(before.AdId, previousEnd, 2000, 30m, winner ? 120m : 30m));
            delivery.Add(new TrendDeliveryDay(now.AdId, To, 2000, 30m, winner ? 120m : 30m));
        }
        // Plenty of ROAS but too little evidence: not judged at all.
        ads.Add(Own(999, CreativeFormats.Image, "x") with { Launched = To.AddDays(-200) });
        delivery.Add(new TrendDeliveryDay(999, To, 500, 5m, 500m));

        var run = Dimension(CreativeTrendEngine.Analyse(To, Days, ads, delivery, []), CreativeTrendEngine.StoreSource, CreativeTrendEngine.Dimensions.RunLength);

        Assert.Equal(new RunLengthFigure(10, 5, 10m, 21m), run.PreviousRun);
        Assert.Equal(new RunLengthFigure(10, 5, 80m, 21m), run.RecentRun);
        var trend = Assert.Single(run.Trends);
        Assert.Equal("longer", trend.Direction);
        Assert.Equal("Your winning ads run longer: a median of 80 days by the end of the last 30 days (5 ads), against 10 days in the 30 days before (5 ads).", trend.Sentence);
    }

    [Fact]
    public void Too_few_winners_say_not_enough_data()
    {
        var ads = new List<StoreTrendAd> { Own(1, CreativeFormats.Image, "x") with { Launched = To.AddDays(-40) } };
        var run = Dimension(CreativeTrendEngine.Analyse(To, Days, ads, [new TrendDeliveryDay(1, To, 5000, 50m, 200m)], []),
            CreativeTrendEngine.StoreSource, CreativeTrendEngine.Dimensions.RunLength);
        Assert.False(run.EnoughData);
        Assert.Empty(run.Trends);
        Assert.StartsWith("Not enough data: 0 winning ads", run.Summary, StringComparison.Ordinal);
    }

    private static TrendDimension Dimension(CreativeTrends trends, string source, string dimension) =>
        trends.Dimensions.Single(d => d.Source == source && d.Dimension == dimension);

    private static IEnumerable<T> Many<T>(int count, Func<int, T> make) => Enumerable.Range(0, count).Select(make);

    private static StoreTrendAd Own(long id, string format, string text) => new StoreTrendAd(id, null, format, "SHOP_NOW", text, "Headline", null) with
    {
        Launched = id >= 100 ? RecentDay : PreviousDay,
    };

    private static LibraryTrendAd Theirs(DateOnly start, DateOnly? stop, string body) => new(start, stop, [body], []);
}
