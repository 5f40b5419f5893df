using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Options;

namespace AdIntel.Web.Demo;

/// <summary>
/// Generates a believable direct-to-consumer store ("Demo Outfitters", outdoor apparel) with its Meta ad account,
/// deterministically: the same options and the same "today" always give identical data. No database, no clock:
/// the caller passes the store-local today and the history ends the day before.
/// </summary>
public static class DemoStoreGenerator
{
    public const string StoreName = "Demo Outfitters";
    public const string ShopDomain = "demo-outfitters.myshopify.com";
    public const string TimeZoneId = "America/New_York";
    public const string Currency = "USD";

    /// <summary>Share of Shopify's sales that Meta ads really drive (the rest is organic, e-mail, search, word of mouth).</summary>
    public const double MetaDrivenShareOfSales = 0.6;

    /// <summary>Other marketing costs of the demo store (e-mail tool, creators), per month.</summary>
    public const decimal OtherMarketingCostPerMonth = 2_500m;

    /// <summary>
    /// The three days of the planted tracking outage: about 40 days before <paramref name="lastDay"/>, moved earlier
    /// until neither they nor the day on each side are a sales event or holiday, so on every calendar the outage is what
    /// stands out, not a holiday's unusual volume.
    /// </summary>
    public static (DateOnly From, DateOnly To) TrackingOutageDays(DateOnly lastDay)
    {
        var from = lastDay.AddDays(-40);
        while (Enumerable.Range(-1, 5).Any(offset => DemoCalendar.EventLevel(from.AddDays(offset)) != 1.0))
        {
            from = from.AddDays(-1);
        }
        return (from, from.AddDays(2));
    }

    /// <summary>Whether the day is a sales event or holiday of the demo calendar (sales and budgets run higher on purpose).</summary>
    public static bool IsSalesEvent(DateOnly day) => DemoCalendar.EventLevel(day) != 1.0;

    public static DemoStoreData Generate(DemoOptions options, DateOnly today)
    {
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        var lastDay = today.AddDays(-1);
        var firstDay = today.AddMonths(-options.Months);
        // Independent streams per part, so tuning one part does not reshuffle the others.
        var master = new Random(options.Seed);
        var catalogRandom = new Random(master.Next());
        var ordersRandom = new Random(master.Next());
        var adsRandom = new Random(master.Next());
        var targetsRandom = new Random(master.Next());
        var budgetsRandom = new Random(master.Next());
        var creativesRandom = new Random(master.Next());

        var calendar = new DemoCalendar(firstDay, lastDay, growthOverPeriod: Math.Pow(1.9, options.Months / 18.0));
        var catalog = DemoCatalog.Build(catalogRandom, calendar);
        var sales = new DemoOrderSimulator(ordersRandom, calendar, timeZone, catalog).Run(options.Orders);

        var saleOrders = new int[calendar.Days];
        var saleValue = new double[calendar.Days];
        var totalSales = 0m;
        foreach (var order in sales.Orders.Where(o => o.CountsAsSale))
        {
            var day = calendar.IndexOf(order.LocalDate);
            saleOrders[day]++;
            saleValue[day] += (double)(order.GrossSales - order.Discounts);
            totalSales += order.GrossSales - order.Discounts + order.Shipping + order.Taxes - order.Refunds.Sum(r => r.Amount);
        }

        // Budget so that the whole history's MER (total sales / marketing spend) lands between 2.9 and 3.4,
        // and let Meta claim 25–42% more purchases than it really drives.
        var targetMer = (decimal)targetsRandom.Between(2.9, 3.4);
        var otherMarketing = OtherMarketingCostPerMonth * 12m / 365.25m * calendar.Days;
        var adSpendTotal = Math.Max(0m, totalSales / targetMer - otherMarketing);
        var overReporting = targetsRandom.Between(1.25, 1.42);
        var ads = new DemoAdsSimulator(adsRandom, budgetsRandom, calendar, timeZone)
            .Run(sales.ExpectedOrdersPerDay, saleOrders, saleValue, adSpendTotal, MetaDrivenShareOfSales, overReporting);

        var products = catalog.Select(v => v.Product).Distinct().ToList();
        var data = new DemoStoreData
        {
            TimeZoneId = TimeZoneId,
            Currency = Currency,
            FirstDay = firstDay,
            LastDay = lastDay,
            Settings = new StoreSettings
            {
                Id = 1,
                PaymentFeePercent = 2.9m,
                PaymentFeeFixed = 0.30m,
                ShippingCostPerOrder = 8.40m,
                OtherMarketingCostPerMonth = OtherMarketingCostPerMonth,
            },
            Products = products,
            Variants = catalog.Select(v => v.Variant).ToList(),
            Customers = sales.Customers,
            CustomerProfiles = sales.Profiles,
            Orders = sales.Orders,
            OrderLines = sales.Lines,
            Refunds = sales.Refunds,
            AdAccount = ads.Account,
            Campaigns = ads.Campaigns,
            AdSets = ads.AdSets,
            Ads = ads.Ads,
            Creatives = DemoCreatives.Build(creativesRandom, ads.Campaigns, ads.Ads, ads.HeadlineTemplates),
            Insights = ads.Insights,
            TrackingOutageFrom = ads.OutageFrom,
            TrackingOutageTo = ads.OutageTo,
        };
        if (options.InjectAnomalies)
        {
            data.InjectedAnomalies = DemoAnomalies.Inject(data);
        }
        return data;
    }
}
