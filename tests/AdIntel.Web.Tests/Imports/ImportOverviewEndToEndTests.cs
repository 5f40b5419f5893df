using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Imports;

/// <summary>
/// Both exports imported into a fresh store through the API must give the overview the numbers docs/metrics.md
/// definitions give when applied by hand to the CSV text. The expectation is computed here from the files with a
/// minimal CSV reader, sharing no code with the importers or the metrics.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ImportOverviewEndToEndTests(AppFixture fixture)
{
    private static readonly DateOnly From = new(2024, 3, 1);
    private static readonly DateOnly To = new(2024, 3, 31);

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Overview_after_importing_both_exports_matches_the_files(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(timeZone: "UTC");
        var ordersCsv = Read(ShopifyOrders);
        var adsCsv = Read(MetaAds);
        await ImportAsync(store.Api, ShopifyPath, ordersCsv);
        await ImportAsync(store.Api, MetaPath, adsCsv);

        var overview = await store.Api.GetFromJsonAsync<JsonElement>($"/api/overview?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}");
        var kpis = overview.GetProperty("data").GetProperty("kpis");
        var expected = Expected(ordersCsv, adsCsv);

        Assert.Equal(expected.Orders, kpis.GetProperty("orders").GetInt32());
        Assert.Equal(expected.NewCustomers, kpis.GetProperty("newCustomers").GetInt32());
        Assert.Equal(Money(expected.TotalSales), kpis.GetProperty("totalSales").GetDecimal());
        Assert.Equal(Money(expected.NetSales), kpis.GetProperty("netSales").GetDecimal());
        Assert.Equal(Money(expected.Aov), kpis.GetProperty("aov").GetDecimal());
        Assert.Equal(Money(expected.AdSpend), kpis.GetProperty("adSpend").GetDecimal());
        Assert.Equal(Ratio(expected.Mer), kpis.GetProperty("mer").GetDecimal());
        Assert.Equal(Money(expected.Cac), kpis.GetProperty("cac").GetDecimal());
        Assert.Equal(Ratio(expected.NcRoas), kpis.GetProperty("ncRoas").GetDecimal());
        // Sanity of the hand calculation itself against the fixture as documented in TestData/README.md.
        Assert.Equal((5, 2, 446.94m, 643.63m), (expected.Orders, expected.NewCustomers, expected.TotalSales, expected.AdSpend));
    }

    private sealed record Kpis(int Orders, int NewCustomers, decimal TotalSales, decimal NetSales, decimal Aov, decimal AdSpend, decimal Mer,
        decimal Cac, decimal NcRoas);

    private sealed record FileOrder(string Email, DateOnly Day, bool Counts, decimal Gross, decimal Discounts, decimal Shipping, decimal Taxes,
        decimal Refunded);

    /// <summary>The formulas by hand: sales of orders created in the period (no test, no cancelled ones), spend of the period's days.</summary>
    private static Kpis Expected(string ordersCsv, string adsCsv)
    {
        var orders = ReadOrders(ordersCsv);
        var inPeriod = orders.Where(o => o.Counts && o.Day >= From && o.Day <= To).ToList();
        // The fixture's refunds in the period are on orders without shipping or taxes, so all of a refund is merchandise
        // returned, and the export's only date for it is the order's.
        Assert.All(inPeriod.Where(o => o.Refunded > 0), o => Assert.Equal(0m, o.Shipping + o.Taxes));
        var gross = inPeriod.Sum(o => o.Gross);
        var discounts = inPeriod.Sum(o => o.Discounts);
        var returns = inPeriod.Sum(o => o.Refunded);
        var netSales = gross - discounts - returns;
        var totalSales = netSales + inPeriod.Sum(o => o.Shipping) + inPeriod.Sum(o => o.Taxes);

        var firstOrders = orders.Where(o => o.Counts && o.Email.Length > 0)
            .GroupBy(o => o.Email)
            .Select(g => g.OrderBy(o => o.Day).First())
            .Where(first => first.Day >= From && first.Day <= To)
            .ToList();
        var newCustomerNetSales = firstOrders.Sum(o => o.Gross - o.Discounts - o.Refunded);

        var adSpend = ReadCsv(adsCsv).Skip(1).Where(r =>
        {
            var day = DateOnly.ParseExact(r[3], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return day >= From && day <= To;
        }).Sum(r => decimal.Parse(r[8], CultureInfo.InvariantCulture));

        return new Kpis(inPeriod.Count, firstOrders.Count, totalSales, netSales, (gross - discounts) / inPeriod.Count, adSpend,
            totalSales / adSpend, adSpend / firstOrders.Count, newCustomerNetSales / adSpend);
    }

    private static List<FileOrder> ReadOrders(string csv)
    {
        var rows = ReadCsv(csv);
        var header = rows[0];
        int Col(string name) => Array.IndexOf(header, name);
        decimal Amount(string[] row, string name) => row[Col(name)] is { Length: > 0 } text ? decimal.Parse(text, CultureInfo.InvariantCulture) : 0m;

        var orders = new List<FileOrder>();
        foreach (var group in rows.Skip(1).GroupBy(r => r[Col("Name")]))
        {
            var first = group.First();
            var created = first[Col("Created at")];
            var instant = created.Contains('T', StringComparison.Ordinal)
                ? DateTimeOffset.Parse(created, CultureInfo.InvariantCulture)
                : DateTimeOffset.ParseExact(created, "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
            orders.Add(new FileOrder(
                first[Col("Email")].ToLowerInvariant(),
                DateOnly.FromDateTime(instant.UtcDateTime),
                first[Col("Cancelled at")].Length == 0 && first[Col("Payment Method")] != "bogus",
                group.Sum(r => int.Parse(r[Col("Lineitem quantity")], CultureInfo.InvariantCulture) * Amount(r, "Lineitem price")),
                Amount(first, "Discount Amount"),
                Amount(first, "Shipping"),
                Amount(first, "Taxes"),
                Amount(first, "Refunded Amount")));
        }
        return orders;
    }

    /// <summary>RFC 4180 in a dozen lines: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { field.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); }
            else if (c != '\r') { field.Append(c); }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }
        return rows;
    }

    private static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static decimal Ratio(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
