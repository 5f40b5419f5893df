namespace AdIntel.Fakes.Meta;

/// <summary>A small, deterministic ad account for trying the fake by hand and for tests that need "some" delivery.</summary>
public static class FakeMetaSample
{
    public static FakeMetaState Create(DateOnly lastDay, int days = 90, int seed = 11)
    {
        var state = new FakeMetaState();
        var random = new Random(seed);
        const string accountId = "100200300";
        state.Accounts.Add(new FakeAdAccount(accountId, "Outfitters — US", "USD", "America/New_York"));
        var created = new DateTimeOffset(lastDay.AddDays(-days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var id = 120210000000000000L;
        foreach (var campaignName in (string[])["Prospecting | Broad", "Retargeting | Site visitors", "Catalog | DPA"])
        {
            var campaign = new FakeMetaObject { Id = (++id).ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = "campaign", AccountId = accountId, Name = campaignName, CreatedTime = created };
            state.Objects.Add(campaign);
            for (var s = 1; s <= 2; s++)
            {
                var adSet = new FakeMetaObject
                {
                    Id = (++id).ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = "adset", AccountId = accountId, Name = $"{campaignName} | Ad set {s}",
                    CampaignId = campaign.Id, DailyBudgetMinor = 5000 * s, CreatedTime = created,
                };
                state.Objects.Add(adSet);
                for (var a = 1; a <= 2; a++)
                {
                    var ad = new FakeMetaObject
                    {
                        Id = (++id).ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = "ad", AccountId = accountId, Name = $"Creative {s}.{a}",
                        CampaignId = campaign.Id, AdSetId = adSet.Id, CreatedTime = created,
                    };
                    state.Objects.Add(ad);
                    for (var day = lastDay.AddDays(1 - days); day <= lastDay; day = day.AddDays(1))
                    {
                        var impressions = random.Next(800, 6000);
                        var reach = (long)(impressions / (1.1 + random.NextDouble() * 0.6));
                        var clicks = (long)(impressions * (0.008 + random.NextDouble() * 0.012));
                        var linkClicks = (long)(clicks * 0.75);
                        var purchases = random.Next(0, 6);
                        var spend = Math.Round(impressions * (0.008m + (decimal)random.NextDouble() * 0.01m), 2);
                        state.Insights.Add(new FakeInsightRow(ad.Id, day, spend, impressions, reach, clicks, linkClicks, purchases,
                            Math.Round(purchases * (45m + (decimal)random.NextDouble() * 60m), 2)));
                    }
                }
            }
        }
        AddDataset(state, accountId, lastDay, days);
        return state;
    }

    /// <summary>
    /// The account's healthy dataset: each day the pixel and the Conversions API both report the purchases Meta
    /// attributes (merged by event_id), customer information good enough for an Event Match Quality of 7.8.
    /// </summary>
    private static void AddDataset(FakeMetaState state, string accountId, DateOnly lastDay, int days)
    {
        var dataset = new FakeDataset
        {
            Id = "880000000000001", AccountId = accountId, Name = "Outfitters Pixel",
            CreationTime = new DateTimeOffset(lastDay.AddDays(-days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            LastFiredTime = new DateTimeOffset(lastDay.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero),
        };
        foreach (var day in state.Insights.GroupBy(i => i.Date))
        {
            var purchases = day.Sum(i => i.Purchases);
            var counts = dataset.On(day.Key);
            counts.Browser = purchases;
            counts.Server = purchases;
            var views = dataset.On(day.Key, "PageView");
            views.Browser = day.Sum(i => i.LinkClicks);
        }
        state.Datasets.Add(dataset);
    }
}
