using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Metrics;

/// <summary>Writes small, exactly known stores for the metrics tests (through EF, like any other store data).</summary>
public static class StoreDataBuilder
{
    public static Task<long> AddCustomerAsync(this AdIntelApp app, long storeId, string externalId) =>
        app.WithDbAsync(storeId, async db =>
        {
            var customer = new Customer { ExternalId = externalId, Email = externalId + "@example.com", CreatedAtUtc = PinnedDate.UtcNow };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            return customer.Id;
        });

    /// <summary>
    /// An order on <paramref name="day"/> (noon UTC) whose gross sales are the sum of its lines; the total is what
    /// the customer paid (gross − discounts + shipping + taxes).
    /// </summary>
    public static Order Order(string name, DateOnly day, long? customerId, decimal discounts = 0, decimal shipping = 0, decimal taxes = 0,
        bool isTest = false, bool cancelled = false, params OrderLine[] lines)
    {
        var gross = lines.Sum(l => l.UnitPrice * l.Quantity);
        var created = day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
        return new Order
        {
            ExternalId = name,
            Name = "#" + name,
            CustomerId = customerId,
            CreatedAtUtc = created,
            UpdatedAtUtc = created,
            LocalDate = day,
            GrossSales = gross,
            Discounts = discounts,
            Shipping = shipping,
            Taxes = taxes,
            Total = gross - discounts + shipping + taxes,
            IsTest = isTest,
            CancelledAtUtc = cancelled ? created.AddHours(1) : null,
            Lines = [.. lines],
        };
    }

    public static OrderLine Line(int quantity, decimal unitPrice, decimal? unitCost) =>
        new() { Title = "Item", Quantity = quantity, UnitPrice = unitPrice, UnitCost = unitCost };

    public static Refund Refund(string externalId, DateOnly day, decimal amount) =>
        new() { ExternalId = externalId, CreatedAtUtc = day.ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc), LocalDate = day, Amount = amount };

    public static Task AddOrdersAsync(this AdIntelApp app, long storeId, params Order[] orders) =>
        app.WithDbAsync(storeId, async db =>
        {
            db.Orders.AddRange(orders);
            await db.SaveChangesAsync();
            foreach (var order in orders)
            {
                order.Lines.ForEach(l => l.OrderId = order.Id);
                order.Refunds.ForEach(r => r.OrderId = order.Id);
                db.OrderLines.AddRange(order.Lines);
                db.Refunds.AddRange(order.Refunds);
            }
            await db.SaveChangesAsync();
        });

    /// <summary>An ad account with one campaign per name, each with one ad set and one ad; returns the ad ids by campaign name.</summary>
    public static Task<Dictionary<string, long>> AddCampaignsAsync(this AdIntelApp app, long storeId, params string[] campaignNames) =>
        app.WithDbAsync(storeId, async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var account = new AdAccount { ExternalId = "act_" + suffix, Name = "Account" };
            db.AdAccounts.Add(account);
            await db.SaveChangesAsync();
            var ads = new Dictionary<string, long>();
            foreach (var name in campaignNames)
            {
                var campaign = new Campaign { AdAccountId = account.Id, ExternalId = $"c-{name}-{suffix}", Name = name, UpdatedAtUtc = PinnedDate.UtcNow };
                db.Campaigns.Add(campaign);
                await db.SaveChangesAsync();
                var adSet = new AdSet { CampaignId = campaign.Id, ExternalId = $"s-{name}-{suffix}", Name = name + " set", UpdatedAtUtc = PinnedDate.UtcNow };
                db.AdSets.Add(adSet);
                await db.SaveChangesAsync();
                var ad = new Ad { AdSetId = adSet.Id, CampaignId = campaign.Id, ExternalId = $"a-{name}-{suffix}", Name = name + " ad", UpdatedAtUtc = PinnedDate.UtcNow };
                db.Ads.Add(ad);
                await db.SaveChangesAsync();
                ads[name] = ad.Id;
            }
            return ads;
        });

    public static AdInsightDaily Insight(long adId, DateOnly day, decimal spend, decimal purchaseValue, decimal purchases = 0, long impressions = 0, long clicks = 0) =>
        new() { AdId = adId, Date = day, Spend = spend, PurchaseValue = purchaseValue, Purchases = purchases, Impressions = impressions, LinkClicks = clicks };

    public static Task AddInsightsAsync(this AdIntelApp app, long storeId, params AdInsightDaily[] insights) =>
        app.WithDbAsync(storeId, async db =>
        {
            db.AdInsights.AddRange(insights);
            await db.SaveChangesAsync();
        });

    public static Task UpdateSettingsAsync(this AdIntelApp app, long storeId, Action<StoreSettings> change) =>
        app.WithDbAsync(storeId, async db =>
        {
            change(db.StoreSettings.Single());
            await db.SaveChangesAsync();
        });

    public static Task RebuildFactsAsync(this AdIntelApp app, long storeId) =>
        app.WithServiceAsync<DailyFactsBuilder, bool>(storeId, async builder =>
        {
            await builder.RebuildAsync(CancellationToken.None);
            return true;
        });
}
