using System.Globalization;
using System.Text;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Demo;

/// <summary>
/// Writes generated data in the shapes merchants upload: Shopify admin's "Export orders" CSV (one row per line item,
/// newest order first, the order's own columns on its first row only) and an Ads Manager export with a daily
/// breakdown (one row per ad and day). Used to build import fixtures and benchmark files of any size.
/// </summary>
public static class DemoCsvWriter
{
    public static IReadOnlyList<string> ShopifyOrderColumns { get; } =
    [
        "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing", "Currency", "Subtotal",
        "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity",
        "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
        "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company",
        "Billing City", "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
        "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province",
        "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference",
        "Refunded Amount", "Vendor", "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level", "Source",
        "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name",
        "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
        "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
    ];

    public static IReadOnlyList<string> MetaAdsColumns(string currency) =>
    [
        "Day", "Campaign name", "Campaign ID", "Ad set name", "Ad set ID", "Ad name", "Ad ID", $"Amount spent ({currency})", "Impressions",
        "Reach", "Frequency", "Link clicks", "Purchases", "Purchases conversion value", "Reporting starts", "Reporting ends",
    ];

    private static readonly Dictionary<string, int> ShopifyColumn =
        ShopifyOrderColumns.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);

    public static async Task WriteShopifyOrdersAsync(DemoStoreData data, TextWriter writer, CancellationToken cancellationToken)
    {
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZoneId);
        var endOfHistoryUtc = TimeZoneInfo.ConvertTimeToUtc(data.LastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), timeZone);
        var customerIndex = data.Customers.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var productByVariant = data.Products.SelectMany(p => p.Variants.Select(v => (v.Id, p))).ToDictionary(x => x.Id, x => x.p);
        var row = new string[ShopifyOrderColumns.Count];
        var line = new StringBuilder(1024);

        await WriteRowAsync(writer, line, ShopifyOrderColumns, cancellationToken);
        foreach (var order in data.Orders.OrderByDescending(o => o.CreatedAtUtc))
        {
            var customer = order.CustomerId is { } id ? data.Customers[customerIndex[id]] : null;
            var profile = order.CustomerId is { } pid ? data.CustomerProfiles[customerIndex[pid]] : null;
            var address = order.SourceName == "pos" || profile is null ? DemoPeople.PopUpShop : profile.Address;
            var fulfilledUtc = FulfilledAt(order, endOfHistoryUtc);
            for (var l = 0; l < order.Lines.Count; l++)
            {
                var item = order.Lines[l];
                Array.Fill(row, "");
                Set(row, "Name", order.Name);
                Set(row, "Email", order.Email ?? "");
                Set(row, "Created at", Timestamp(order.CreatedAtUtc, timeZone));
                Set(row, "Lineitem quantity", item.Quantity.ToString(CultureInfo.InvariantCulture));
                Set(row, "Lineitem name", item.Title);
                Set(row, "Lineitem price", Money(item.UnitPrice));
                Set(row, "Lineitem sku", item.Sku ?? "");
                Set(row, "Lineitem requires shipping", "true");
                Set(row, "Lineitem taxable", "true");
                Set(row, "Lineitem fulfillment status", fulfilledUtc is null ? "pending" : "fulfilled");
                Set(row, "Vendor", item.VariantId is { } variantId ? productByVariant[variantId].Vendor ?? "" : "");
                Set(row, "Lineitem discount", Money(item.Discount));
                if (l == 0)
                {
                    WriteOrderColumns(row, order, customer, profile, address, fulfilledUtc, timeZone);
                }
                await WriteRowAsync(writer, line, row, cancellationToken);
            }
        }
    }

    public static async Task WriteMetaAdsAsync(DemoStoreData data, TextWriter writer, CancellationToken cancellationToken)
    {
        var ads = data.Ads.ToDictionary(a => a.Id);
        var adSets = data.AdSets.ToDictionary(s => s.Id);
        var campaigns = data.Campaigns.ToDictionary(c => c.Id);
        var line = new StringBuilder(256);
        var from = Day(data.FirstDay);
        var to = Day(data.LastDay);

        await WriteRowAsync(writer, line, MetaAdsColumns(data.AdAccount.Currency), cancellationToken);
        var rows = data.Insights
            .Select(i => (Insight: i, Ad: ads[i.AdId]))
            .Select(x => (x.Insight, x.Ad, Set: adSets[x.Ad.AdSetId], Campaign: campaigns[x.Ad.CampaignId]))
            .OrderBy(x => x.Insight.Date).ThenBy(x => x.Campaign.Name, StringComparer.Ordinal).ThenBy(x => x.Set.Name, StringComparer.Ordinal)
            .ThenBy(x => x.Ad.Name, StringComparer.Ordinal).ThenBy(x => x.Ad.ExternalId, StringComparer.Ordinal);
        foreach (var (insight, ad, set, campaign) in rows)
        {
            // Ads Manager leaves result columns empty when there were none.
            string[] fields =
            [
                Day(insight.Date), campaign.Name, campaign.ExternalId, set.Name, set.ExternalId, ad.Name, ad.ExternalId, Money(insight.Spend),
                insight.Impressions.ToString(CultureInfo.InvariantCulture), insight.Reach.ToString(CultureInfo.InvariantCulture),
                insight.Frequency.ToString("0.######", CultureInfo.InvariantCulture),
                insight.LinkClicks == 0 ? "" : insight.LinkClicks.ToString(CultureInfo.InvariantCulture),
                insight.Purchases == 0 ? "" : insight.Purchases.ToString("0.##", CultureInfo.InvariantCulture),
                insight.PurchaseValue == 0 ? "" : Money(insight.PurchaseValue),
                from, to,
            ];
            await WriteRowAsync(writer, line, fields, cancellationToken);
        }
    }

    private static void WriteOrderColumns(string[] row, Order order, Customer? customer, DemoCustomerProfile? profile, DemoAddress address,
        DateTime? fulfilledUtc, TimeZoneInfo timeZone)
    {
        var isTest = order.IsTest;
        var buyerName = customer is null ? "" : $"{customer.FirstName} {customer.LastName}".Trim();
        var refunded = order.Refunds.Sum(r => r.Amount + r.ShippingRefunded + r.TaxRefunded);
        var paymentId = $"c{order.ExternalId}.1";

        Set(row, "Financial Status", order.FinancialStatus);
        Set(row, "Paid at", order.FinancialStatus == "voided" ? "" : Timestamp(order.CreatedAtUtc.AddSeconds(3), timeZone));
        Set(row, "Fulfillment Status", fulfilledUtc is null ? "unfulfilled" : "fulfilled");
        Set(row, "Fulfilled at", fulfilledUtc is { } fulfilled ? Timestamp(fulfilled, timeZone) : "");
        Set(row, "Accepts Marketing", profile?.AcceptsMarketing == true ? "yes" : "no");
        Set(row, "Currency", order.Currency);
        Set(row, "Subtotal", Money(order.GrossSales - order.Discounts));
        Set(row, "Shipping", Money(order.Shipping));
        Set(row, "Taxes", Money(order.Taxes));
        Set(row, "Total", Money(order.Total));
        Set(row, "Discount Code", order.DiscountCode ?? "");
        Set(row, "Discount Amount", Money(order.Discounts));
        Set(row, "Shipping Method", ShippingMethod(order));
        if (customer is not null)
        {
            foreach (var side in new[] { "Billing", "Shipping" })
            {
                Set(row, $"{side} Name", buyerName);
                Set(row, $"{side} Street", address.Street);
                Set(row, $"{side} Address1", address.Street);
                Set(row, $"{side} City", address.City);
                Set(row, $"{side} Zip", "'" + address.Zip); // Shopify quotes zips so spreadsheets keep leading zeros
                Set(row, $"{side} Province", address.ProvinceCode);
                Set(row, $"{side} Country", DemoAddress.CountryCode);
                Set(row, $"{side} Phone", profile?.Phone ?? "");
                Set(row, $"{side} Province Name", address.ProvinceName);
            }
        }
        Set(row, "Cancelled at", order.CancelledAtUtc is { } cancelled ? Timestamp(cancelled, timeZone) : "");
        Set(row, "Payment Method", isTest ? "bogus" : "Shopify Payments");
        Set(row, "Payment Reference", paymentId);
        Set(row, "Refunded Amount", Money(refunded));
        Set(row, "Outstanding Balance", Money(0m));
        if (order.SourceName == "pos")
        {
            Set(row, "Employee", "Jamie Rivera");
            Set(row, "Location", "Brooklyn Pop-up");
        }
        Set(row, "Id", order.ExternalId);
        Set(row, "Risk Level", "Low");
        Set(row, "Source", order.SourceName ?? "web");
        if (order.Taxes > 0)
        {
            Set(row, "Tax 1 Name", $"{address.ProvinceCode} Sales Tax {(address.TaxRate * 100m).ToString("0.###", CultureInfo.InvariantCulture)}%");
            Set(row, "Tax 1 Value", Money(order.Taxes));
        }
        Set(row, "Phone", profile?.Phone ?? "");
        Set(row, "Payment ID", paymentId);
        Set(row, "Payment References", paymentId);
    }

    /// <summary>
    /// Orders ship a day or two after they are placed; cancelled orders and orders refunded before shipping never
    /// do, and the most recent ones have not shipped yet.
    /// </summary>
    private static DateTime? FulfilledAt(Order order, DateTime endOfHistoryUtc)
    {
        if (order.CancelledAtUtc is not null || order.Refunds.Any(r => r.ShippingRefunded > 0))
        {
            return null;
        }
        var fulfilled = order.CreatedAtUtc.AddHours(20 + long.Parse(order.ExternalId, CultureInfo.InvariantCulture) % 30);
        return fulfilled < endOfHistoryUtc ? fulfilled : null;
    }

    private static string ShippingMethod(Order order) => order.SourceName == "pos"
        ? ""
        : order.Shipping switch
        {
            0m => "Free Shipping",
            DemoOrderSimulator.ExpeditedShipping => "Expedited Shipping",
            _ => "Standard Shipping",
        };

    private static void Set(string[] row, string column, string value) => row[ShopifyColumn[column]] = value;

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Shopify's export format: store-local time with the offset, e.g. "2025-10-07 09:50:26 -0400".</summary>
    private static string Timestamp(DateTime utc, TimeZoneInfo timeZone)
    {
        var offset = timeZone.GetUtcOffset(utc);
        var local = utc + offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture,
            $"{local:yyyy-MM-dd HH:mm:ss} {sign}{Math.Abs(offset.Hours):00}{Math.Abs(offset.Minutes):00}");
    }

    private static async Task WriteRowAsync(TextWriter writer, StringBuilder line, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        line.Clear();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }
            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\n\r") >= 0)
            {
                line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                line.Append(field);
            }
        }
        line.Append('\n');
        await writer.WriteAsync(line, cancellationToken);
    }
}
