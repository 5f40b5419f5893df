using System.Security.Cryptography;
using System.Text.Json;
using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Options;

namespace AdIntel.Web.Tests.Demo;

public sealed class DemoStoreGeneratorTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>The store exactly as the app seeds it by default (50,000 orders over 18 months), generated once.</summary>
    private static readonly Lazy<DemoStoreData> DefaultStore = new(() => DemoStoreGenerator.Generate(new DemoOptions(), Today));

    private static DemoStoreData Store => DefaultStore.Value;

    [Fact]
    public void Generate_same_seed_and_day_gives_identical_data()
    {
        var options = new DemoOptions { Seed = 7, Orders = 3000, Months = 6 };

        var first = Fingerprint(DemoStoreGenerator.Generate(options, Today));
        var second = Fingerprint(DemoStoreGenerator.Generate(options, Today));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_different_seed_gives_different_data()
    {
        var first = Fingerprint(DemoStoreGenerator.Generate(new DemoOptions { Seed = 7, Orders = 3000, Months = 6 }, Today));
        var second = Fingerprint(DemoStoreGenerator.Generate(new DemoOptions { Seed = 8, Orders = 3000, Months = 6 }, Today));

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(50_000, 18)]
    [InlineData(4_000, 18)]
    [InlineData(1_000, 3)]
    public void Generate_order_count_is_within_ten_percent_of_requested(int orders, int months)
    {
        var data = orders == 50_000 && months == 18
            ? Store
            : DemoStoreGenerator.Generate(new DemoOptions { Orders = orders, Months = months }, Today);

        Assert.InRange(data.Orders.Count, orders * 0.9, orders * 1.1);
        Assert.Equal(Today.AddMonths(-months), data.FirstDay);
    }

    [Fact]
    public void Generate_history_ends_yesterday_and_local_dates_match_instants_in_new_york()
    {
        Assert.Equal(Today.AddDays(-1), Store.LastDay);
        Assert.All(Store.Orders, o =>
        {
            Assert.Equal(DateTimeKind.Utc, o.CreatedAtUtc.Kind);
            Assert.Equal(o.LocalDate, DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(o.CreatedAtUtc, NewYork)));
            Assert.InRange(o.LocalDate, Store.FirstDay, Store.LastDay);
        });
        Assert.All(Store.Refunds, r => Assert.Equal(r.LocalDate, DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(r.CreatedAtUtc, NewYork))));
        Assert.Equal(Store.LastDay, Store.Insights.Max(i => i.Date));
        Assert.Equal(Store.LastDay, Store.Orders.Max(o => o.LocalDate));
        // Names follow creation order like Shopify's order numbers.
        Assert.Equal("#1001", Store.Orders[0].Name);
        Assert.True(Store.Orders.Zip(Store.Orders.Skip(1)).All(p => p.First.CreatedAtUtc <= p.Second.CreatedAtUtc));
    }

    [Fact]
    public void Generate_order_amounts_add_up_like_shopify()
    {
        Assert.All(Store.Orders, o =>
        {
            Assert.Equal(o.Lines.Sum(l => l.UnitPrice * l.Quantity), o.GrossSales);
            Assert.Equal(o.GrossSales - o.Discounts + o.Shipping + o.Taxes, o.Total);
            Assert.InRange(o.Lines.Count, 1, 4);
            Assert.True(o.Discounts >= o.Lines.Sum(l => l.Discount));
            Assert.True(o.Refunds.Sum(r => r.Amount) <= o.GrossSales - o.Discounts);
        });
        var sales = Store.Orders.Where(o => o.CountsAsSale).ToList();
        var taxRate = sales.Sum(o => o.Taxes) / sales.Sum(o => o.GrossSales - o.Discounts);
        Assert.InRange(taxRate, 0.06m, 0.08m);
        // Free shipping over the threshold, charged below it.
        Assert.All(sales.Where(o => o.SourceName == "web" && o.GrossSales - o.Discounts < 75m), o => Assert.True(o.Shipping > 0));
        Assert.Contains(sales, o => o.GrossSales - o.Discounts >= 75m && o.Shipping == 0);
    }

    [Fact]
    public void Generate_discount_codes_on_about_a_fifth_of_orders_some_on_lines_only()
    {
        var sales = Store.Orders.Where(o => o.CountsAsSale).ToList();

        Assert.InRange(sales.Count(o => o.DiscountCode is not null) / (double)sales.Count, 0.15, 0.25);
        var lineLevel = sales.Where(o => o.Lines.Any(l => l.Discount > 0)).ToList();
        Assert.NotEmpty(lineLevel);
        Assert.All(lineLevel, o => Assert.Equal(o.Lines.Sum(l => l.Discount), o.Discounts));
    }

    [Fact]
    public void Generate_catalogue_is_an_apparel_range_with_costs_on_most_variants()
    {
        Assert.InRange(Store.Products.Count, 35, 45);
        Assert.InRange(Store.Variants.Count, 100, 130);
        Assert.All(Store.Variants, v => Assert.InRange(v.Price, 15m, 180m));
        Assert.All(Store.Variants.Where(v => v.UnitCost is not null), v => Assert.InRange(v.UnitCost!.Value / v.Price, 0.24m, 0.46m));
        Assert.Equal(Store.Variants.Count, Store.Variants.Select(v => v.Sku).Distinct().Count());

        var lines = Store.OrderLines;
        var coverage = lines.Count(l => l.UnitCost is not null) / (double)lines.Count;
        Assert.InRange(coverage, 0.85, 0.995);
    }

    [Fact]
    public void Generate_line_cost_is_the_variant_cost_when_ordered()
    {
        var variants = Store.Variants.ToDictionary(v => v.Id);
        var costed = Store.OrderLines.Where(l => l.UnitCost is not null).ToList();

        Assert.All(Store.OrderLines.Where(l => variants[l.VariantId!.Value].UnitCost is null), l => Assert.Null(l.UnitCost));
        Assert.All(costed, l => Assert.InRange(l.UnitCost!.Value, variants[l.VariantId!.Value].UnitCost!.Value * 0.9m,
            variants[l.VariantId!.Value].UnitCost!.Value));
        // A supplier price rise: older lines carry the old, lower cost.
        var orders = Store.Orders.ToDictionary(o => o.Id);
        var cheaperThanToday = costed.Where(l => l.UnitCost < variants[l.VariantId!.Value].UnitCost).ToList();
        Assert.NotEmpty(cheaperThanToday);
        Assert.All(cheaperThanToday, l => Assert.True(orders[l.OrderId].LocalDate < Store.LastDay.AddDays(-30)));
    }

    [Fact]
    public void Generate_most_customers_buy_once_and_a_tail_buys_often()
    {
        var ordersPerCustomer = Store.Orders.Where(o => o.CountsAsSale && o.CustomerId is not null)
            .GroupBy(o => o.CustomerId).Select(g => g.Count()).ToList();

        var repeatShare = ordersPerCustomer.Count(n => n > 1) / (double)ordersPerCustomer.Count;
        Assert.InRange(repeatShare, 0.20, 0.45);
        Assert.InRange(Store.Customers.Count, 25_000, 36_000);
        Assert.Contains(ordersPerCustomer, n => n >= 6);
        Assert.All(ordersPerCustomer, n => Assert.InRange(n, 1, 10));
    }

    [Fact]
    public void Generate_cohorts_show_a_retention_curve()
    {
        var firstOrders = Store.Orders.Where(o => o.CountsAsSale && o.CustomerId is not null)
            .GroupBy(o => o.CustomerId).Select(g => g.OrderBy(o => o.CreatedAtUtc).Select(o => o.LocalDate).ToList()).ToList();

        double ReturnedWithin(int days)
        {
            var old = firstOrders.Where(dates => dates[0].AddDays(days) <= Store.LastDay).ToList();
            return old.Count(dates => dates.Count > 1 && dates[1].DayNumber - dates[0].DayNumber <= days) / (double)old.Count;
        }

        var month = ReturnedWithin(30);
        var quarter = ReturnedWithin(90);
        var year = ReturnedWithin(365);
        Assert.InRange(month, 0.05, 0.2);
        Assert.True(quarter > month * 1.4, $"90-day return {quarter:P1} should clearly exceed 30-day {month:P1}");
        Assert.True(year > quarter && year < 0.5, $"365-day return {year:P1}");
    }

    [Fact]
    public void Generate_refunds_about_five_percent_of_orders_days_after_them()
    {
        var sales = Store.Orders.Where(o => o.CountsAsSale).ToList();
        var refunded = sales.Where(o => o.Refunds.Count > 0).ToList();

        Assert.InRange(refunded.Count / (double)sales.Count, 0.03, 0.08);
        Assert.All(refunded, o => Assert.All(o.Refunds, r =>
        {
            Assert.True(r.LocalDate > o.LocalDate);
            Assert.True(r.LocalDate <= Store.LastDay);
        }));
        Assert.Contains(refunded, o => o.FinancialStatus == "refunded");
        Assert.Contains(refunded, o => o.FinancialStatus == "partially_refunded" && o.Refunds[0].Amount < o.GrossSales - o.Discounts);
        Assert.DoesNotContain(Store.Orders, o => !o.CountsAsSale && o.Refunds.Count > 0);
    }

    [Fact]
    public void Generate_includes_cancelled_test_and_guest_orders()
    {
        Assert.InRange(Store.Orders.Count(o => o.CancelledAtUtc is not null), 50, 1000);
        Assert.All(Store.Orders.Where(o => o.CancelledAtUtc is not null), o => Assert.True(o.CancelledAtUtc > o.CreatedAtUtc));
        Assert.InRange(Store.Orders.Count(o => o.IsTest), 3, 20);
        var guests = Store.Orders.Where(o => o.CustomerId is null).ToList();
        Assert.InRange(guests.Count / (double)Store.Orders.Count, 0.01, 0.08);
        Assert.All(guests, o => Assert.Null(o.Email));
    }

    [Fact]
    public void Generate_demand_has_growth_weekly_cycle_and_holiday_peaks()
    {
        var perDay = Store.Orders.Where(o => o.CountsAsSale).GroupBy(o => o.LocalDate).ToDictionary(g => g.Key, g => g.Count());
        double Average(DateOnly from, DateOnly to) =>
            Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Average(i => perDay.GetValueOrDefault(from.AddDays(i)));

        var blackFriday = new DateOnly(2025, 11, 28);
        var october = Average(new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 31));
        Assert.True(perDay[blackFriday] > 2.5 * october, $"Black Friday {perDay[blackFriday]} vs October {october:F0}/day");
        Assert.True(perDay[new DateOnly(2025, 12, 1)] > 2 * october, "Cyber Monday peak");
        Assert.True(Average(new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 19)) > october, "December gifting peak");
        Assert.True(Average(new DateOnly(2026, 7, 7), new DateOnly(2026, 8, 15)) < Average(new DateOnly(2026, 4, 1), new DateOnly(2026, 5, 10)),
            "summer dip");
        var recent = Average(Store.LastDay.AddDays(-120), Store.LastDay.AddDays(-60));
        Assert.True(recent > 1.3 * Average(Store.FirstDay, Store.FirstDay.AddDays(60)), "growth");

        var byWeekday = perDay.Where(p => p.Key > Store.FirstDay.AddDays(30) && p.Key < new DateOnly(2025, 11, 1))
            .GroupBy(p => p.Key.DayOfWeek).ToDictionary(g => g.Key, g => g.Average(p => p.Value));
        Assert.True(byWeekday[DayOfWeek.Sunday] > byWeekday[DayOfWeek.Saturday], "weekly cycle");
    }

    [Fact]
    public void Generate_marketing_efficiency_is_realistic_and_meta_over_reports()
    {
        var sales = Store.Orders.Where(o => o.CountsAsSale).ToList();
        var netSales = sales.Sum(o => o.GrossSales - o.Discounts) - Store.Refunds.Sum(r => r.Amount);
        var totalSales = netSales + sales.Sum(o => o.Shipping + o.Taxes);
        var days = Store.LastDay.DayNumber - Store.FirstDay.DayNumber + 1;
        var marketing = Store.Insights.Sum(i => i.Spend) + Store.Settings.OtherMarketingCostPerMonth * 12m / 365.25m * days;

        Assert.InRange(totalSales / marketing, 2m, 5m);
        // Meta claims more purchase value than the share of sales it really drives.
        var claimed = (double)Store.Insights.Sum(i => i.PurchaseValue);
        var justified = (double)netSales * DemoStoreGenerator.MetaDrivenShareOfSales;
        Assert.InRange(claimed / justified, 1.15, 1.6);
    }

    [Fact]
    public void Generate_spend_follows_order_volume()
    {
        var orders = Store.Orders.Where(o => o.CountsAsSale).GroupBy(o => o.LocalDate).ToDictionary(g => g.Key, g => (double)g.Count());
        var spend = Store.Insights.GroupBy(i => i.Date).ToDictionary(g => g.Key, g => (double)g.Sum(i => i.Spend));
        var days = spend.Keys.Where(orders.ContainsKey).ToList();

        Assert.True(Correlation(days.Select(d => orders[d]).ToList(), days.Select(d => spend[d]).ToList()) > 0.8);
    }

    [Fact]
    public void Generate_ad_account_structure_is_realistic()
    {
        Assert.StartsWith("act_", Store.AdAccount.ExternalId);
        Assert.True(Store.AdAccount.ExternalId[4..].All(char.IsAsciiDigit));
        Assert.InRange(Store.Campaigns.Count, 8, 16);
        Assert.InRange(Store.AdSets.Count, 30, 50);
        Assert.InRange(Store.Ads.Count, 150, 260);
        Assert.Contains(Store.Campaigns, c => c.Status == EntityStatus.Paused);
        Assert.Contains(Store.Campaigns, c => c.Objective == "OUTCOME_AWARENESS");
        Assert.All(Store.AdSets.Where(s => s.Status == EntityStatus.Active && Store.Campaigns.Single(c => c.Id == s.CampaignId).DailyBudget is null),
            s => Assert.True(s.DailyBudget > 0));
        Assert.Equal(["carousel", "image", "video"], Store.Ads.Select(a => a.CreativeType!).Distinct().Order().ToArray());
        Assert.Equal(Store.Ads.Select(a => a.Id).Order(), Store.Creatives.Select(c => c.AdId).Order());
        Assert.All(Store.Creatives, c => Assert.False(string.IsNullOrWhiteSpace(c.Headline)));
        var externalIds = Store.Campaigns.Select(c => c.ExternalId).Concat(Store.AdSets.Select(s => s.ExternalId))
            .Concat(Store.Ads.Select(a => a.ExternalId)).ToList();
        Assert.Equal(externalIds.Count, externalIds.Distinct().Count());
        Assert.All(externalIds, id => Assert.Matches("^[0-9]{18}$", id));
        // Every ad delivers only between its start and the day it was paused.
        var ads = Store.Ads.ToDictionary(a => a.Id);
        Assert.All(Store.Insights, i => Assert.True(i.Date >= ads[i.AdId].StartDate));
    }

    [Fact]
    public void Generate_has_an_ad_set_still_in_learning()
    {
        var lastWeek = Store.LastDay.AddDays(-6);
        var ads = Store.Ads.ToDictionary(a => a.Id);
        var purchasesLastWeek = Store.Insights.Where(i => i.Date >= lastWeek)
            .GroupBy(i => ads[i.AdId].AdSetId).ToDictionary(g => g.Key, g => g.Sum(i => i.Purchases));
        var todayStart = TimeZoneInfo.ConvertTimeToUtc(Today.ToDateTime(TimeOnly.MinValue), NewYork);

        var learning = Store.AdSets.Where(s => s.Status == EntityStatus.Active && s.StartDate > Today.AddDays(-7)
            && s.LastSignificantEditAtUtc > todayStart.AddDays(-7) && purchasesLastWeek.GetValueOrDefault(s.Id) < 50).ToList();

        var adSet = Assert.Single(learning);
        Assert.True(adSet.DailyBudget > 0);
        Assert.True(purchasesLastWeek.GetValueOrDefault(adSet.Id) > 0, "it delivers and converts, just not 50 times a week yet");
        Assert.All(Store.AdSets.Where(s => s.Status == EntityStatus.Active && s.Id != adSet.Id),
            s => Assert.True(s.LastSignificantEditAtUtc < todayStart.AddDays(-7)));
    }

    [Fact]
    public void Generate_has_days_of_broken_tracking_while_orders_continue()
    {
        var orders = Store.Orders.Where(o => o.CountsAsSale).GroupBy(o => o.LocalDate).ToDictionary(g => g.Key, g => g.Count());
        var purchases = Store.Insights.GroupBy(i => i.Date).ToDictionary(g => g.Key, g => g.Sum(i => i.Purchases));
        var spend = Store.Insights.GroupBy(i => i.Date).ToDictionary(g => g.Key, g => g.Sum(i => i.Spend));
        var typicalPurchases = Median(purchases.Values);
        var typicalOrders = Median(orders.Values.Select(v => (decimal)v));

        var broken = purchases.Where(p => p.Value < typicalPurchases * 0.05m).Select(p => p.Key).Order().ToList();

        Assert.Equal(3, broken.Count);
        Assert.Equal(broken[0].AddDays(2), broken[2]);
        Assert.Equal(Store.TrackingOutageFrom, broken[0]);
        Assert.InRange(Today.DayNumber - broken[0].DayNumber, 30, 50);
        Assert.All(broken, day =>
        {
            Assert.True(orders[day] > typicalOrders * 0.6m, $"Shopify kept taking orders on {day}");
            Assert.True(spend[day] > 0, $"ads kept spending on {day}");
        });
    }

    [Fact]
    public void Generate_creatives_fatigue_as_frequency_rises()
    {
        var fatigued = Store.Insights.GroupBy(i => i.AdId)
            .Where(g => g.Count() >= 60)
            .Select(g => g.OrderBy(i => i.Date).ToList())
            .Where(days =>
            {
                var first = days.Take(14).ToList();
                var last = days.TakeLast(14).ToList();
                return Ctr(last) < Ctr(first) * 0.8 && last.Average(i => i.Frequency) > first.Average(i => i.Frequency) * 1.2m;
            })
            .ToList();

        Assert.NotEmpty(fatigued);
        Assert.All(Store.Insights, i =>
        {
            Assert.True(i.Reach <= i.Impressions);
            Assert.True(i.Frequency >= 1m);
            Assert.True(i.LinkClicks <= i.Impressions);
        });
    }

    private static double Ctr(IReadOnlyCollection<AdInsightDaily> days) => days.Sum(i => i.LinkClicks) / (double)days.Sum(i => i.Impressions);

    private static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var mx = x.Average();
        var my = y.Average();
        var covariance = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return covariance / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    /// <summary>SHA-256 of every generated entity with every field, so any difference anywhere changes it.</summary>
    private static string Fingerprint(DemoStoreData data) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(data)));
}
