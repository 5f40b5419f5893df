using System.Globalization;
using AdIntel.Web.Demo;
using AdIntel.Web.Infrastructure.Options;
using System.Text;
using CsvHelper;

namespace AdIntel.Web.Tests.Demo;

public sealed class DemoCsvWriterTests
{
    private static readonly Lazy<DemoStoreData> SmallStore =
        new(() => DemoStoreGenerator.Generate(new DemoOptions { Seed = 11, Orders = 1500, Months = 4 }, new DateOnly(2026, 11, 25)));

    private const string ShopifyHeader =
        "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total," +
        "Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price," +
        "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1," +
        "Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name," +
        "Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country," +
        "Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance," +
        "Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name," +
        "Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name," +
        "Payment ID,Payment Terms Name,Next Payment Due At,Payment References";

    [Fact]
    public async Task WriteShopifyOrdersAsync_writes_shopifys_export_layout()
    {
        var data = SmallStore.Value;
        var (header, rows) = await ReadAsync(writer => DemoCsvWriter.WriteShopifyOrdersAsync(data, writer, CancellationToken.None));

        Assert.Equal(ShopifyHeader, string.Join(",", header));
        Assert.Equal(data.OrderLines.Count, rows.Count);
        // Newest first, one row per line item; the order's own columns on its first row only.
        var byName = rows.GroupBy(r => r["Name"]).ToList();
        Assert.Equal(data.Orders.Count, byName.Count);
        Assert.Equal(data.Orders.MaxBy(o => o.CreatedAtUtc)!.Name, rows[0]["Name"]);
        foreach (var group in byName)
        {
            var order = data.Orders.Single(o => o.Name == group.Key);
            var first = group.First();
            Assert.Equal(order.ExternalId, first["Id"]);
            Assert.Equal(order.Total.ToString("0.00", CultureInfo.InvariantCulture), first["Total"]);
            Assert.Equal((order.GrossSales - order.Discounts).ToString("0.00", CultureInfo.InvariantCulture), first["Subtotal"]);
            Assert.Equal(order.FinancialStatus, first["Financial Status"]);
            Assert.Equal(order.Lines.Count, group.Count());
            Assert.All(group.Skip(1), row =>
            {
                Assert.Equal("", row["Financial Status"]);
                Assert.Equal("", row["Total"]);
                Assert.Equal("", row["Id"]);
                Assert.NotEqual("", row["Lineitem name"]);
            });
        }
    }

    [Fact]
    public async Task WriteShopifyOrdersAsync_writes_store_local_times_refunds_tests_and_cancellations()
    {
        var data = SmallStore.Value;
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var (_, rows) = await ReadAsync(writer => DemoCsvWriter.WriteShopifyOrdersAsync(data, writer, CancellationToken.None));
        var firstRows = rows.Where(r => r["Id"] != "").ToDictionary(r => r["Id"]);

        foreach (var order in data.Orders)
        {
            var row = firstRows[order.ExternalId];
            var created = ParseShopifyTimestamp(row["Created at"]);
            Assert.Equal(order.CreatedAtUtc, created.UtcDateTime);
            Assert.Equal(newYork.GetUtcOffset(order.CreatedAtUtc), created.Offset);
            var refunded = order.Refunds.Sum(r => r.Amount + r.ShippingRefunded + r.TaxRefunded);
            Assert.Equal(refunded.ToString("0.00", CultureInfo.InvariantCulture), row["Refunded Amount"]);
            Assert.Equal(order.CancelledAtUtc is null, row["Cancelled at"] == "");
            Assert.Equal(order.IsTest, row["Payment Method"] == "bogus");
            Assert.Equal(order.Email ?? "", row["Email"]);
        }
        Assert.Contains(rows, r => r["Lineitem discount"] != "0.00");
        Assert.Contains(rows, r => r["Discount Code"] != "");
    }

    [Fact]
    public async Task WriteMetaAdsAsync_writes_one_ads_manager_row_per_ad_and_day()
    {
        var data = SmallStore.Value;
        var (header, rows) = await ReadAsync(writer => DemoCsvWriter.WriteMetaAdsAsync(data, writer, CancellationToken.None));

        Assert.Equal(
            ["Day", "Campaign name", "Campaign ID", "Ad set name", "Ad set ID", "Ad name", "Ad ID", "Amount spent (USD)", "Impressions", "Reach",
                "Frequency", "Link clicks", "Purchases", "Purchases conversion value", "Reporting starts", "Reporting ends"],
            header);
        Assert.Equal(data.Insights.Count, rows.Count);
        Assert.Equal(data.Insights.Sum(i => i.Spend), rows.Sum(r => decimal.Parse(r["Amount spent (USD)"], CultureInfo.InvariantCulture)));
        Assert.Equal(data.Insights.Sum(i => i.Purchases),
            rows.Sum(r => r["Purchases"] == "" ? 0m : decimal.Parse(r["Purchases"], CultureInfo.InvariantCulture)));
        var ads = data.Ads.ToDictionary(a => a.ExternalId);
        Assert.All(rows, r =>
        {
            var ad = ads[r["Ad ID"]];
            Assert.Equal(ad.Name, r["Ad name"]);
            Assert.Equal(data.Campaigns.Single(c => c.Id == ad.CampaignId).ExternalId, r["Campaign ID"]);
            Assert.Equal(data.AdSets.Single(s => s.Id == ad.AdSetId).ExternalId, r["Ad set ID"]);
        });
        Assert.Equal(data.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows[0]["Reporting starts"]);
        Assert.True(rows.Zip(rows.Skip(1)).All(p => string.CompareOrdinal(p.First["Day"], p.Second["Day"]) <= 0), "rows run day by day");
    }

    /// <summary>"2025-10-07 09:50:26 -0400": local time and offset without a colon.</summary>
    private static DateTimeOffset ParseShopifyTimestamp(string value)
    {
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [-+][0-9]{4}$", value);
        var local = DateTime.ParseExact(value[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var offset = new TimeSpan(int.Parse(value[21..23], CultureInfo.InvariantCulture), int.Parse(value[23..25], CultureInfo.InvariantCulture), 0);
        return new DateTimeOffset(local, value[20] == '-' ? -offset : offset);
    }

    private static async Task<(string[] Header, List<Dictionary<string, string>> Rows)> ReadAsync(Func<TextWriter, Task> write)
    {
        using var bytes = new MemoryStream();
        await using (var writer = new StreamWriter(bytes, new UTF8Encoding(false), leaveOpen: true))
        {
            await write(writer);
        }
        bytes.Position = 0;
        using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default, leaveOpen: true);
        var header = reader.Headers.ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            Assert.Equal(header.Length, reader.FieldCount);
            rows.Add(header.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => reader.GetString(c.index) ?? ""));
        }
        return (header, rows);
    }
}
