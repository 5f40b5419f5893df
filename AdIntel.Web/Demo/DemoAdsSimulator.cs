using System.Globalization;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Demo;

/// <summary>
/// Simulates the store's Meta ad account: a campaign structure with prospecting, retargeting, catalog, brand and
/// seasonal campaigns, creative rotation inside each ad set, and each ad's daily delivery as Ads Manager reports it.
/// Spend follows the store's demand (ads drive the orders); reported purchases follow Shopify's orders but are
/// over-attributed, creatives fatigue (frequency up, CTR down), and tracking breaks for a few days.
/// The advertiser also tests budgets: every ad set's budget steps up or down every one to three weeks, and what Meta
/// attributes to it answers with diminishing returns (each audience saturates at its own rate), so spending above the
/// plan brings proportionally less and below it proportionally more.
/// </summary>
internal sealed class DemoAdsSimulator
{
    private enum Kind
    {
        Prospecting,
        Retargeting,
        Catalog,
        Brand,
        Traffic,
    }

    private sealed record CreativeSet(string[] Themes, string[] Angles, string[] Headlines);

    /// <param name="Start">Fraction of the history at which the ad set starts (0 = first day).</param>
    /// <param name="End">Fraction at which it was paused; 1 = still running.</param>
    /// <param name="Budget">Relative share of the account's daily spend.</param>
    /// <param name="Kind">Audience temperature when it differs from the campaign's.</param>
    private sealed record AdSetTemplate(string Name, double Start, double End, double Budget, Kind? Kind = null);

    private sealed record CampaignTemplate(string Name, Kind Kind, string Objective, bool UsesCampaignBudget, CreativeSet Creatives,
        AdSetTemplate[] AdSets);

    private sealed class CampaignPlan(Campaign entity, bool usesCampaignBudget, CreativeSet creatives)
    {
        public Campaign Entity { get; } = entity;
        public bool UsesCampaignBudget { get; } = usesCampaignBudget;
        public CreativeSet Creatives { get; } = creatives;
        public List<AdSetPlan> AdSets { get; } = [];
    }

    private sealed class AdSetPlan(AdSet entity, CampaignPlan campaign, Kind kind, int start, int end, double budget)
    {
        public AdSet Entity { get; } = entity;
        public CampaignPlan Campaign { get; } = campaign;
        public Kind Kind { get; } = kind;
        public int Start { get; } = start;
        public int End { get; } = end;
        public double Budget { get; } = budget;
        /// <summary>A fixed daily budget in dollars (the new ad set still in learning) instead of a share.</summary>
        public decimal? FixedBudget { get; init; }
        /// <summary>Day of the last budget edit; the budget share changes by <see cref="EditFactor"/> from then on.</summary>
        public int EditDay { get; set; }
        public double EditFactor { get; set; } = 1.0;
        /// <summary>Budget tests before the last edit, and the last edit itself: from each day on, the share's multiplier.</summary>
        public List<(int Day, double Level)> BudgetSteps { get; } = [];
        /// <summary>
        /// How fast the audience saturates: attributed value follows ln(1 + x / ρ) ÷ ln(1 + 1 / ρ) of spend relative to
        /// plan x, so a small ρ saturates fast (an elasticity of 1 ÷ ((1 + ρ) ln(1 + 1/ρ)) at the plan).
        /// </summary>
        public double Saturation { get; set; } = 1.0;
        public List<AdPlan> Ads { get; } = [];
        public double[] Spend { get; set; } = [];

        public double BudgetLevel(int day)
        {
            var level = 1.0;
            foreach (var step in BudgetSteps)
            {
                if (step.Day > day)
                {
                    break;
                }
                level = step.Level;
            }
            return level;
        }

        /// <summary>Attributed value relative to plan when spending <paramref name="relativeSpend"/> times the planned spend.</summary>
        public double Response(double relativeSpend) => Math.Log(1 + relativeSpend / Saturation) / Math.Log(1 + 1 / Saturation);
    }

    private sealed class AdPlan(Ad entity, int start)
    {
        public Ad Entity { get; } = entity;
        public string HeadlineTemplate { get; init; } = "";
        public int Start { get; } = start;
        public int End { get; set; }
        public double Quality { get; init; }
        public double BaseCtr { get; init; }
        public double CtrFloor { get; init; }
        public double FatigueDays { get; init; }
        public double Frequency0 { get; init; }
        public double FrequencySlope { get; init; }
        public double FrequencyCap { get; init; }
        public double CpmFactor { get; init; }
    }

    /// <param name="HeadlineTemplates">Each ad's headline template by ad id ("{{product.name}}" stands for the product), for its creative.</param>
    public sealed record Result(AdAccount Account, IReadOnlyList<Campaign> Campaigns, IReadOnlyList<AdSet> AdSets, IReadOnlyList<Ad> Ads,
        IReadOnlyDictionary<long, string> HeadlineTemplates, IReadOnlyList<AdInsightDaily> Insights, DateOnly OutageFrom, DateOnly OutageTo);

    private const decimal LearningAdSetBudget = 55m;

    private static readonly CreativeSet ProspectingCreatives = new(
        ["Summit Down Jacket", "Merino Hiking Socks", "Everyday Merino Tee", "Ridgeline Rain Shell", "Trailhead Fleece", "Women's Trail Leggings",
            "Canyon Sun Hoodie", "Switchback Shorts", "Bestsellers", "Brand story", "New arrivals"],
        ["UGC review", "Founder story", "Studio", "On the trail", "Layering guide", "Testimonial", "Unboxing", "Us vs them", "Static offer",
            "Free shipping $75+"],
        ["Built for the trail. Priced for real life.", "Warmth without the weight", "Merino that goes the distance", "Pack light. Go far.",
            "Your new favorite layer", "Rated 4.8/5 by 12,000+ hikers", "Free shipping on orders $75+", "The jacket that lives in your pack"]);

    private static readonly CreativeSet RetargetingCreatives = new(
        ["Still deciding", "Reviews", "Free returns", "Back in stock", "Bestsellers", "Complete the layer"],
        ["Static", "Testimonial", "Review carousel", "Offer reminder", "UGC"],
        ["Still thinking it over?", "Free returns for 60 days", "Back in stock in every size", "Join 50,000 happy hikers",
            "Complete your layering system"]);

    private static readonly CreativeSet CatalogCreatives = new(
        ["Catalog - All products", "Catalog - Winter layers", "Catalog - Summer essentials", "Catalog - Bestsellers"],
        ["Dynamic"],
        ["{{product.name}}", "Made to be worn out", "Shop the trail essentials"]);

    private static readonly CreativeSet BrandCreatives = new(
        ["Made for the trail"], ["30s film", "15s cut", "6s bumper", "Behind the seams"],
        ["Made for the trail", "Gear that outlasts the trip"]);

    private static readonly CreativeSet TrafficCreatives = new(
        ["Journal"], ["10 best day hikes", "How to layer for winter", "Merino care guide", "Trail running starter kit"],
        ["10 day hikes worth the drive", "How to layer for a winter summit", "Make your merino last 10 years"]);

    private static readonly CreativeSet BlackFridayCreatives = new(
        ["BFCM 25% off", "Gift guide", "Countdown"], ["Video", "Static", "Carousel", "UGC"],
        ["Black Friday: 25% off everything", "Our biggest sale of the year", "Last chance: 25% off ends tonight", "Gifts for the outdoorsy"]);

    private static readonly CreativeSet SummerCreatives = new(
        ["Summer Trail Series"], ["Launch film", "Lookbook", "Static", "UGC"],
        ["New: the Summer Trail Series", "Sun's out. Trails are calling.", "UPF 50 for long days outside"]);

    private static readonly CampaignTemplate[] Evergreen =
    [
        new("Prospecting | Broad | Evergreen", Kind.Prospecting, "OUTCOME_SALES", false, ProspectingCreatives,
        [
            new("Broad | US | 25-54 | All genders", 0, 1, 1.0),
            new("Broad | US | 18-65+ | Advantage+ audience", 0.35, 1, 0.9),
            new("Broad | US | Women 25-45", 0, 0.6, 0.5),
        ]),
        new("Prospecting | Interests | Outdoor", Kind.Prospecting, "OUTCOME_SALES", false, ProspectingCreatives,
        [
            new("Interest | Hiking + Camping", 0, 1, 0.5),
            new("Interest | Trail running", 0.2, 1, 0.45),
            new("Interest | REI + Patagonia fans", 0, 0.45, 0.4),
            new("Interest | Climbing + Bouldering", 0.3, 0.8, 0.35),
        ]),
        new("Prospecting | Lookalikes", Kind.Prospecting, "OUTCOME_SALES", false, ProspectingCreatives,
        [
            new("LAL 1% | Purchasers 180d", 0.1, 1, 0.6),
            new("LAL 1-3% | Top 25% AOV", 0.25, 1, 0.5),
            new("LAL 1% | Email subscribers", 0.1, 0.55, 0.4),
            new("LAL 3-5% | Add to cart 30d", 0.5, 1, 0.45),
        ]),
        new("Advantage+ Shopping | Evergreen", Kind.Prospecting, "OUTCOME_SALES", true, ProspectingCreatives,
        [
            new("Advantage+ shopping | US", 0.45, 1, 2.0),
        ]),
        new("Retargeting | Site + Social", Kind.Retargeting, "OUTCOME_SALES", false, RetargetingCreatives,
        [
            new("RT | Site visitors 30d excl. buyers", 0, 1, 0.45),
            new("RT | Add to cart 14d", 0, 1, 0.35),
            new("RT | IG + FB engagers 60d", 0.15, 1, 0.25),
            new("RT | Video viewers 50% 30d", 0.4, 0.75, 0.2),
        ]),
        new("Retention | Past purchasers", Kind.Retargeting, "OUTCOME_SALES", false, RetargetingCreatives,
        [
            new("Cross-sell | Purchasers 30-180d", 0.2, 1, 0.3),
            new("Winback | Purchasers 180d+ lapsed", 0.5, 1, 0.25),
        ]),
        new("Catalog | Dynamic product ads", Kind.Catalog, "OUTCOME_SALES", false, CatalogCreatives,
        [
            new("DPA | Viewed or added 14d", 0, 1, 0.55),
            new("DABA | Broad US", 0.3, 1, 0.5),
            new("DPA | Cross-sell purchasers 60d", 0.6, 0.9, 0.25),
        ]),
        new("Brand | Video | Made for the trail", Kind.Brand, "OUTCOME_AWARENESS", false, BrandCreatives,
        [
            new("Reach | US | 18-54 outdoor", 0.05, 1, 0.2),
            new("ThruPlay | US | 25-44", 0.3, 0.7, 0.15),
        ]),
        new("Traffic | Journal content", Kind.Traffic, "OUTCOME_TRAFFIC", false, TrafficCreatives,
        [
            new("Journal | Trail guide readers", 0.15, 0.5, 0.2),
            new("Journal | Gear care articles", 0.2, 0.5, 0.15),
        ]),
    ];

    private const string LearningAdSetName = "Interest | Ultralight backpacking";

    private readonly Random _random;
    private readonly DemoCalendar _calendar;
    private readonly DemoClock _clock;
    private readonly List<CampaignPlan> _campaigns = [];

    private readonly Random _budgets;

    /// <param name="random">Structure, creatives and delivery.</param>
    /// <param name="budgets">Budget tests and audience saturation: a stream of its own, so they reshuffle nothing else.</param>
    public DemoAdsSimulator(Random random, Random budgets, DemoCalendar calendar, TimeZoneInfo timeZone)
    {
        _random = random;
        _budgets = budgets;
        _calendar = calendar;
        _clock = new DemoClock(timeZone);
    }

    /// <param name="expectedOrders">Expected orders per day: the demand the advertiser budgets for.</param>
    /// <param name="saleOrders">Shopify orders per day that count as sales.</param>
    /// <param name="saleValue">Their gross sales less discounts per day.</param>
    /// <param name="adSpendTotal">What the account spends over the whole history.</param>
    /// <param name="attributedShare">Share of Shopify sales Meta truly drives.</param>
    /// <param name="overReporting">How much more Meta claims than it drives.</param>
    public Result Run(double[] expectedOrders, int[] saleOrders, double[] saleValue, decimal adSpendTotal, double attributedShare,
        double overReporting)
    {
        var account = new AdAccount
        {
            Id = 1,
            ExternalId = "act_" + _random.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999).ToString(CultureInfo.InvariantCulture)[..16],
            Name = "Demo Outfitters - US",
            Currency = "USD",
        };
        BuildStructure(account);
        AssignExternalIds();
        PlanBudgetTests();

        var outageStart = Math.Max(1, _calendar.IndexOf(DemoStoreGenerator.TrackingOutageDays(_calendar.LastDay).From));
        var insights = Deliver(expectedOrders, saleOrders, saleValue, adSpendTotal, attributedShare, overReporting, outageStart);
        FinishEntities();

        return new Result(account, _campaigns.Select(c => c.Entity).ToList(),
            _campaigns.SelectMany(c => c.AdSets).Select(s => s.Entity).ToList(),
            _campaigns.SelectMany(c => c.AdSets).SelectMany(s => s.Ads).Select(a => a.Entity).ToList(),
            _campaigns.SelectMany(c => c.AdSets).SelectMany(s => s.Ads).ToDictionary(a => a.Entity.Id, a => a.HeadlineTemplate),
            insights, _calendar.Day(outageStart), _calendar.Day(Math.Min(_calendar.Days - 1, outageStart + 2)));
    }

    private void BuildStructure(AdAccount account)
    {
        var last = _calendar.Days - 1;
        foreach (var template in Evergreen)
        {
            var campaign = AddCampaign(account, template.Name, template.Objective, template.UsesCampaignBudget, template.Creatives);
            foreach (var set in template.AdSets)
            {
                var start = (int)Math.Round(set.Start * last);
                var end = set.End >= 1 ? last : Math.Max(start + 14, (int)Math.Round(set.End * last));
                AddAdSet(campaign, set.Name, set.Kind ?? template.Kind, start, Math.Min(end, last), set.Budget);
            }
            if (template.Name.StartsWith("Prospecting | Interests", StringComparison.Ordinal))
            {
                // Launched a few days ago on a small budget: still in Meta's learning phase (< 50 purchases a week).
                var learning = AddAdSet(campaign, LearningAdSetName, Kind.Prospecting, Math.Max(0, last - 3), last, 0, LearningAdSetBudget);
                learning.EditDay = learning.Start;
            }
        }

        for (var year = _calendar.FirstDay.Year; year <= _calendar.LastDay.Year; year++)
        {
            AddSeasonalCampaign(account, $"Sale | BFCM {year}", DemoCalendar.BlackFriday(year).AddDays(-10),
                DemoCalendar.CyberMonday(year).AddDays(1), BlackFridayCreatives,
                [
                    new("BFCM | Broad | 25-54", 0, 1, 1.2),
                    new("BFCM | Retarget visitors + engagers 90d", 0, 1, 0.6, Kind.Retargeting),
                    new("BFCM | Past purchasers 365d", 0, 1, 0.4, Kind.Retargeting),
                ]);
            AddSeasonalCampaign(account, $"Launch | Summer Trail Series {year}", new DateOnly(year, 6, 1), new DateOnly(year, 7, 15), SummerCreatives,
                [
                    new("Summer | Broad | 25-54", 0, 1, 0.7),
                    new("Summer | Past purchasers 365d", 0, 1, 0.35, Kind.Retargeting),
                ]);
        }
    }

    private void AddSeasonalCampaign(AdAccount account, string name, DateOnly from, DateOnly to, CreativeSet creatives, AdSetTemplate[] adSets)
    {
        if (to < _calendar.FirstDay || from > _calendar.LastDay)
        {
            return;
        }
        var start = Math.Max(0, _calendar.IndexOf(from));
        var end = Math.Min(_calendar.Days - 1, _calendar.IndexOf(to));
        var campaign = AddCampaign(account, name, "OUTCOME_SALES", false, creatives);
        foreach (var set in adSets)
        {
            AddAdSet(campaign, set.Name, set.Kind ?? Kind.Prospecting, start, end, set.Budget);
        }
    }

    private CampaignPlan AddCampaign(AdAccount account, string name, string objective, bool usesCampaignBudget, CreativeSet creatives)
    {
        var campaign = new Campaign
        {
            Id = _campaigns.Count + 1,
            AdAccountId = account.Id,
            ExternalId = "",
            Name = name,
            Objective = objective,
        };
        var plan = new CampaignPlan(campaign, usesCampaignBudget, creatives);
        _campaigns.Add(plan);
        return plan;
    }

    private AdSetPlan AddAdSet(CampaignPlan campaign, string name, Kind kind, int start, int end, double budget, decimal? fixedBudget = null)
    {
        var entity = new AdSet
        {
            Id = _campaigns.Sum(c => c.AdSets.Count) + 1,
            CampaignId = campaign.Entity.Id,
            ExternalId = "",
            Name = name,
            StartDate = _calendar.Day(start),
        };
        var plan = new AdSetPlan(entity, campaign, kind, start, end, budget) { FixedBudget = fixedBudget };
        // The last significant edit: a budget change some weeks ago (or shortly before a paused ad set stopped).
        plan.EditDay = Math.Max(start, end - (int)_random.Between(9, 75));
        plan.EditFactor = _random.Chance(0.7) ? _random.Between(1.1, 1.35) : _random.Between(0.7, 0.9);
        campaign.AdSets.Add(plan);
        AddCreativeRotation(plan);
        return plan;
    }

    /// <summary>
    /// Budget tests every 7 to 21 days from the ad set's start until a week before its last edit (a step of up to ±30 %,
    /// pulled back towards the original budget), then the last edit's change; and each audience's saturation rate:
    /// retargeting pools are small and saturate fast, broad prospecting slowly.
    /// </summary>
    private void PlanBudgetTests()
    {
        foreach (var set in _campaigns.SelectMany(c => c.AdSets))
        {
            var level = 1.0;
            for (var day = set.Start + (int)_budgets.Between(7, 22); day < set.EditDay - 7; day += (int)_budgets.Between(7, 22))
            {
                level = Math.Clamp(level * Math.Exp(_budgets.Between(-0.3, 0.3) - 0.3 * Math.Log(level)), 0.6, 1.6);
                set.BudgetSteps.Add((day, level));
            }
            set.BudgetSteps.Add((set.EditDay, level * set.EditFactor));
            set.Saturation = set.Kind switch
            {
                Kind.Retargeting => _budgets.Between(0.3, 0.7),
                Kind.Catalog => _budgets.Between(0.5, 1.2),
                _ => _budgets.Between(0.7, 2.0),
            };
        }
    }

    /// <summary>
    /// Launches two or three creatives when the ad set starts and a fresh one every two to three months; each runs
    /// until it is paused (fatigued) after one to four months, winners much longer, and the ad set is never left empty.
    /// </summary>
    private void AddCreativeRotation(AdSetPlan adSet)
    {
        var launches = new List<int>();
        var firstCreatives = adSet.Kind is Kind.Brand or Kind.Traffic ? 2 : _random.Chance(0.4) ? 3 : 2;
        for (var i = 0; i < firstCreatives; i++)
        {
            launches.Add(adSet.Start);
        }
        for (var day = adSet.Start + (int)_random.Between(50, 95); day <= adSet.End - 3; day += (int)_random.Between(55, 100))
        {
            launches.Add(day);
            if (_random.Chance(0.2))
            {
                launches.Add(day);
            }
        }

        foreach (var launch in launches)
        {
            var lifetime = _random.Chance(0.2) ? _random.Between(120, 320) : _random.Between(35, 130);
            var ad = NewAd(adSet, launch);
            ad.End = Math.Min(adSet.End, launch + (int)lifetime - 1);
            adSet.Ads.Add(ad);
        }

        // Meta keeps spending on whatever is left on, so extend the longest runner over any gap.
        var coveredUntil = adSet.Start - 1;
        AdPlan? longest = null;
        foreach (var ad in adSet.Ads)
        {
            if (ad.Start > coveredUntil + 1 && longest is not null)
            {
                longest.End = ad.Start - 1;
                coveredUntil = longest.End;
            }
            if (ad.End > coveredUntil)
            {
                coveredUntil = ad.End;
                longest = ad;
            }
        }
        if (longest is not null && coveredUntil < adSet.End)
        {
            longest.End = adSet.End;
        }
    }

    private AdPlan NewAd(AdSetPlan adSet, int start)
    {
        var creatives = adSet.Campaign.Creatives;
        var creativeType = adSet.Kind switch
        {
            Kind.Catalog => _random.Chance(0.8) ? "carousel" : "image",
            Kind.Brand => "video",
            _ => _random.NextDouble() switch { < 0.4 => "image", < 0.75 => "video", _ => "carousel" },
        };
        var version = adSet.Ads.Count + 1;
        var theme = _random.Pick(creatives.Themes);
        var name = $"{theme} | {CultureInfo.InvariantCulture.TextInfo.ToTitleCase(creativeType)} | {_random.Pick(creatives.Angles)} | v{version}";
        var headline = _random.Pick(creatives.Headlines);
        var entity = new Ad
        {
            Id = _campaigns.SelectMany(c => c.AdSets).Sum(s => s.Ads.Count) + 1,
            AdSetId = adSet.Entity.Id,
            CampaignId = adSet.Campaign.Entity.Id,
            ExternalId = "",
            Name = name,
            CreativeType = creativeType,
            StartDate = _calendar.Day(start),
        };
        var (ctrLow, ctrHigh, frequency0, slopeLow, slopeHigh, cap) = adSet.Kind switch
        {
            Kind.Retargeting => (0.013, 0.022, _random.Between(1.3, 1.6), 0.010, 0.020, 4.5),
            Kind.Catalog => (0.011, 0.018, _random.Between(1.2, 1.4), 0.006, 0.012, 3.5),
            Kind.Brand => (0.003, 0.006, _random.Between(1.1, 1.3), 0.004, 0.010, 3.0),
            Kind.Traffic => (0.015, 0.025, _random.Between(1.05, 1.2), 0.003, 0.006, 2.5),
            _ => (0.009, 0.015, _random.Between(1.04, 1.12), 0.003, 0.008, 2.6),
        };
        return new AdPlan(entity, start)
        {
            HeadlineTemplate = headline,
            Quality = _random.Between(0.6, 1.4),
            BaseCtr = _random.Between(ctrLow, ctrHigh),
            CtrFloor = _random.Between(0.4, 0.6),
            FatigueDays = _random.Between(25, 60),
            Frequency0 = frequency0,
            FrequencySlope = _random.Between(slopeLow, slopeHigh),
            FrequencyCap = cap,
            CpmFactor = _random.Between(0.85, 1.2),
        };
    }

    /// <summary>Meta ids are 18-digit numbers that grow with creation time.</summary>
    private void AssignExternalIds()
    {
        var entities = new List<(int Start, int Order, Action<string> Assign)>();
        foreach (var campaign in _campaigns)
        {
            entities.Add((campaign.AdSets.Min(s => s.Start), 0, id => campaign.Entity.ExternalId = id));
            foreach (var set in campaign.AdSets)
            {
                entities.Add((set.Start, 1, id => set.Entity.ExternalId = id));
                foreach (var ad in set.Ads)
                {
                    entities.Add((ad.Start, 2, id => ad.Entity.ExternalId = id));
                }
            }
        }
        var next = 120_208_000_000_000_000L + _random.NextInt64(1_000_000_000, 9_000_000_000);
        var inCreationOrder = entities.Select((e, i) => (e, i)).OrderBy(x => x.e.Start).ThenBy(x => x.e.Order).ThenBy(x => x.i).Select(x => x.e);
        foreach (var (_, _, assign) in inCreationOrder)
        {
            next += _random.NextInt64(1_000_000, 4_000_000_000);
            assign(next.ToString(CultureInfo.InvariantCulture));
        }
    }

    private List<AdInsightDaily> Deliver(double[] expectedOrders, int[] saleOrders, double[] saleValue, decimal adSpendTotal,
        double attributedShare, double overReporting, int outageStart)
    {
        var days = _calendar.Days;
        var adSets = _campaigns.SelectMany(c => c.AdSets).ToList();
        foreach (var set in adSets)
        {
            set.Spend = new double[days];
        }

        // The advertiser budgets for expected demand (slightly less than proportionally) and pushes harder on sale days;
        // the account's spend also drifts away from that plan and back.
        var shape = new double[days];
        var drift = new double[days];
        for (var d = 0; d < days; d++)
        {
            drift[d] = 0.85 * (d == 0 ? 0 : drift[d - 1]) + 0.05 * _random.Normal();
            var push = DemoCalendar.EventLevel(_calendar.Day(d)) >= 1.5 ? 1.15 : 1.0;
            shape[d] = Math.Pow(expectedOrders[d], 0.9) * Math.Exp(drift[d]) * push;
        }
        var scale = (double)adSpendTotal / shape.Sum();

        var insights = new List<AdInsightDaily>(days * 40);
        var active = new List<(AdPlan Ad, AdSetPlan Set, double Spend, double RelativeSpend)>();
        for (var d = 0; d < days; d++)
        {
            var date = _calendar.Day(d);
            var target = shape[d] * scale;
            var running = adSets.Where(s => s.Start <= d && d <= s.End).ToList();
            var setSpends = running.Select(s => s.FixedBudget is { } budget ? (double)budget * _random.Between(0.85, 1.02) : 0).ToArray();
            var flexible = Math.Max(0, target - setSpends.Sum());
            var planShares = running.Select(s => s.FixedBudget is not null ? 0 : s.Budget * Ramp(d - s.Start)).ToArray();
            var shares = running.Select((s, i) => planShares[i] * s.BudgetLevel(d)).ToArray();
            var shareTotal = shares.Sum();
            var planShareTotal = planShares.Sum();
            // What each ad set would spend without the drift and its budget tests: its response is measured against that.
            var planFlexible = Math.Max(0, target / Math.Exp(drift[d]) - setSpends.Sum());

            active.Clear();
            for (var i = 0; i < running.Count; i++)
            {
                var set = running[i];
                var setSpend = set.FixedBudget is not null || shareTotal == 0 ? setSpends[i] : flexible * shares[i] / shareTotal;
                var planSpend = planShareTotal == 0 ? 0 : planFlexible * planShares[i] / planShareTotal;
                var relativeSpend = set.FixedBudget is null && planSpend > 0 ? setSpend / planSpend : 1.0;
                var ads = set.Ads.Where(a => a.Start <= d && d <= a.End).ToList();
                // Delivery favours fresh creatives and good ones; fatigued ads still get a little.
                var weights = ads.Select(a => a.Quality * (0.3 + Math.Exp(-(d - a.Start) / a.FatigueDays))).ToArray();
                var weightTotal = weights.Sum();
                for (var a = 0; a < ads.Count; a++)
                {
                    active.Add((ads[a], set, setSpend * weights[a] / weightTotal, relativeSpend));
                }
            }

            var cpmLevel = DemoCalendar.CpmLevel(date);
            var dayReporting = overReporting * _random.Jitter(0.07) * (d >= outageStart && d < outageStart + 3 ? 0.01 : 1.0);
            var purchasesToday = attributedShare * dayReporting * saleOrders[d];
            var valuePerPurchase = saleOrders[d] == 0 ? 0 : saleValue[d] / saleOrders[d];

            var dayRows = new List<(AdInsightDaily Row, double Weight)>(active.Count);
            double planWeight = 0, responseWeight = 0;
            foreach (var (ad, set, spendShare, relativeSpend) in active)
            {
                var spend = Math.Round((decimal)spendShare, 2);
                if (spend <= 0)
                {
                    continue;
                }
                var age = d - ad.Start;
                var frequency = Math.Max(1.0, Math.Min(ad.FrequencyCap, ad.Frequency0 + ad.FrequencySlope * age) * _random.Jitter(0.03));
                var cpm = BaseCpm(set.Kind) * cpmLevel * ad.CpmFactor * (1 + 0.04 * (frequency - 1)) * _random.Jitter(0.08);
                var impressions = Math.Max(1L, (long)Math.Round((double)spend / cpm * 1000));
                var reach = Math.Max(1L, (long)Math.Round(impressions / frequency));
                var ctr = ad.BaseCtr * (ad.CtrFloor + (1 - ad.CtrFloor) * Math.Exp(-age / ad.FatigueDays)) * _random.Jitter(0.1);
                var clicks = _random.RoundStochastic(impressions * ctr);
                var row = new AdInsightDaily
                {
                    Id = insights.Count + dayRows.Count + 1,
                    AdId = ad.Entity.Id,
                    Date = date,
                    Impressions = impressions,
                    Reach = reach,
                    Frequency = Math.Round((decimal)impressions / reach, 4),
                    LinkClicks = clicks,
                    Spend = spend,
                };
                set.Spend[d] += (double)spend;
                // Clicks grow with spend; the audience's response does not keep up: its weight is the clicks' at plan
                // spend times the saturating response.
                var clickWeight = (clicks + 0.2) * Intent(set.Kind) * ad.Quality;
                var weight = clickWeight * set.Response(relativeSpend) / relativeSpend;
                planWeight += clickWeight / relativeSpend;
                responseWeight += weight;
                dayRows.Add((row, weight));
            }
            // The day's purchases follow the orders as planned, and rise or fall with the ad sets' responses off plan.
            purchasesToday *= planWeight == 0 ? 1 : responseWeight / planWeight;

            // Systematic sampling: each ad gets its share on average, and the day's total is the day's expectation
            // rounded once. Rounding each ad on its own would add Poisson-like noise to the total, and a small store's
            // ordinary day would then often look like a partial tracking outage.
            var totalWeight = dayRows.Sum(r => r.Weight);
            var offset = _random.NextDouble();
            var cumulative = 0.0;
            var allocated = 0;
            foreach (var (row, weight) in dayRows)
            {
                cumulative += totalWeight == 0 ? 0 : purchasesToday * weight / totalWeight;
                var upTo = (int)Math.Floor(cumulative + offset);
                var purchases = upTo - allocated;
                allocated = upTo;
                row.Purchases = purchases;
                row.PurchaseValue = purchases == 0 ? 0m : Math.Round((decimal)(purchases * valuePerPurchase * _random.Jitter(0.12)), 2);
                insights.Add(row);
            }
        }
        return insights;
    }

    /// <summary>New ad sets spend cautiously for their first days.</summary>
    private static double Ramp(int age) => age switch { 0 => 0.5, 1 => 0.7, 2 => 0.85, _ => 1.0 };

    private static double BaseCpm(Kind kind) => kind switch
    {
        Kind.Retargeting => 19,
        Kind.Catalog => 15,
        Kind.Brand => 7,
        Kind.Traffic => 9,
        _ => 13,
    };

    /// <summary>How readily Meta's attribution credits a click of this audience with a purchase (warm audiences buy anyway).</summary>
    private static double Intent(Kind kind) => kind switch
    {
        Kind.Retargeting => 2.4,
        Kind.Catalog => 1.8,
        Kind.Brand => 0.12,
        Kind.Traffic => 0.25,
        _ => 1.0,
    };

    /// <summary>Statuses, budgets and edit times as the account looks today.</summary>
    private void FinishEntities()
    {
        var last = _calendar.Days - 1;
        foreach (var campaign in _campaigns)
        {
            foreach (var set in campaign.AdSets)
            {
                var running = set.End == last;
                set.Entity.Status = running ? EntityStatus.Active : EntityStatus.Paused;
                var budget = set.FixedBudget ?? RecentDailySpend(set);
                set.Entity.DailyBudget = campaign.UsesCampaignBudget ? null : budget;
                set.Entity.LastSignificantEditAtUtc = LocalToUtc(set.EditDay, _random.Between(9, 17));
                set.Entity.UpdatedAtUtc = running ? set.Entity.LastSignificantEditAtUtc.Value : LocalToUtc(set.End + 1, _random.Between(9, 17));
                foreach (var ad in set.Ads)
                {
                    var adRunning = ad.End == last;
                    ad.Entity.Status = adRunning ? EntityStatus.Active : EntityStatus.Paused;
                    ad.Entity.UpdatedAtUtc = LocalToUtc(adRunning ? ad.Start : ad.End + 1, _random.Between(9, 17));
                }
            }
            var campaignRunning = campaign.AdSets.Any(s => s.End == last);
            campaign.Entity.Status = campaignRunning ? EntityStatus.Active : EntityStatus.Paused;
            campaign.Entity.StartDate = _calendar.Day(campaign.AdSets.Min(s => s.Start));
            campaign.Entity.DailyBudget = campaign.UsesCampaignBudget ? campaign.AdSets.Sum(RecentDailySpend) : null;
            campaign.Entity.UpdatedAtUtc = campaign.AdSets.Max(s => s.Entity.UpdatedAtUtc);
        }
    }

    /// <summary>The budget that explains the last week's spend (Meta delivers slightly under budget), in $5 steps.</summary>
    private static decimal RecentDailySpend(AdSetPlan set)
    {
        var from = Math.Max(set.Start, set.End - 6);
        var average = Enumerable.Range(from, set.End - from + 1).Average(d => set.Spend[d]) / 0.97;
        return Math.Max(5m, Math.Round((decimal)average / 5m, MidpointRounding.AwayFromZero) * 5m);
    }

    private DateTime LocalToUtc(int dayIndex, double hour) =>
        _clock.ToUtc(_calendar.Day(dayIndex), new TimeSpan((int)hour, (int)(hour % 1 * 60), 0));
}
