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
                    ad.Creative = SampleCreative(campaignName, ad.Id, s, a);
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
    /// The ad's creative in the shape its campaign uses: a link ad (prospecting), a video ad (retargeting) and a dynamic
    /// creative whose copy lives only in its asset feed (catalog), as Meta sends them (absent fields omitted).
    /// </summary>
    private static System.Text.Json.Nodes.JsonObject SampleCreative(string campaignName, string adId, int adSet, int ad)
    {
        var creativeId = "7" + adId[1..];
        var link = $"https://shop.example.com/products/item-{adSet}-{ad}";
        var thumbnail = $"https://external.xx.fbcdn.net/emg1/v/t13/{creativeId}?w=600&h=600";
        var json = campaignName switch
        {
            "Prospecting | Broad" => """
                {"id":"$ID","status":"ACTIVE","object_type":"SHARE","title":"Linen shirts $SET.$AD","body":"Breathable linen for warm days.",
                 "call_to_action_type":"SHOP_NOW","thumbnail_url":"$THUMB",
                 "object_story_spec":{"page_id":"104000000000001","link_data":{"link":"$LINK","message":"Breathable linen for warm days.",
                  "name":"Linen shirts $SET.$AD","description":"Free shipping over $50","call_to_action":{"type":"SHOP_NOW","value":{"link":"$LINK"}}}}}
                """,
            "Retargeting | Site visitors" => """
                {"id":"$ID","status":"ACTIVE","object_type":"VIDEO","video_id":"146000000000000$AD",
                 "object_story_spec":{"page_id":"104000000000001","video_data":{"video_id":"146000000000000$AD","image_url":"$THUMB",
                  "message":"See how the fabric moves.","title":"Linen, in motion $SET.$AD","link_description":"Shop the summer edit",
                  "call_to_action":{"type":"LEARN_MORE","value":{"link":"$LINK"}}}}}
                """,
            _ => """
                {"id":"$ID","status":"ACTIVE","object_type":"SHARE","thumbnail_url":"$THUMB",
                 "object_story_spec":{"page_id":"104000000000001"},
                 "asset_feed_spec":{"ad_formats":["SINGLE_IMAGE"],"bodies":[{"text":"Dynamic body $SET.$AD"},{"text":"Free 30-day returns."}],
                  "titles":[{"text":"Dynamic title $SET.$AD"},{"text":"The summer edit"}],"descriptions":[{"text":"Free shipping over $50"}],
                  "images":[{"hash":"8f2c1e9a"},{"hash":"3b9d0c1e"}],"link_urls":[{"website_url":"$LINK","display_url":"shop.example.com"}],
                  "call_to_action_types":["BUY_NOW"]}}
                """,
        };
        // Tokens rather than interpolation: the JSON's own braces would need escaping.
        json = json.Replace("$ID", creativeId, StringComparison.Ordinal).Replace("$SET", adSet.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$AD", ad.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$LINK", link, StringComparison.Ordinal).Replace("$THUMB", thumbnail, StringComparison.Ordinal);
        return System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
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
