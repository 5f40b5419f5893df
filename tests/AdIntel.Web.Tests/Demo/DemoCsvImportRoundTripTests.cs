using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdIntel.Web.Demo;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Demo;

/// <summary>
/// The generated exports must be files the app's own importers accept as real exports: importing them into a fresh
/// store gives back the generated orders, customers and ad delivery.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DemoCsvImportRoundTripTests(AppFixture fixture)
{
    [Fact]
    public async Task Generated_exports_import_into_the_same_orders_and_insights()
    {
        var app = fixture.SqliteApp;
        var data = DemoStoreGenerator.Generate(new DemoOptions { Seed = 5, Orders = 800, Months = 2 }, new DateOnly(2026, 11, 25));
        var store = await app.CreateStoreAsync(timeZone: DemoStoreGenerator.TimeZoneId);

        var orders = await ImportAsync(store.Api, "/api/import/shopify-orders",
            writer => DemoCsvWriter.WriteShopifyOrdersAsync(data, writer, CancellationToken.None));
        var ads = await ImportAsync(store.Api, "/api/import/meta-ads", writer => DemoCsvWriter.WriteMetaAdsAsync(data, writer, CancellationToken.None));

        Assert.Equal(data.Orders.Count, orders.GetProperty("ordersCreated").GetInt32());
        Assert.Equal(0, orders.GetProperty("errors").GetArrayLength());
        Assert.Equal(0, ads.GetProperty("errors").GetArrayLength());
        await app.WithDbAsync(store.StoreId, async db =>
        {
            var imported = await db.LoadLinesAndRefundsAsync(await db.Orders.AsNoTracking().ToListAsync(), CancellationToken.None);
            var generated = data.Orders.ToDictionary(o => o.ExternalId);
            Assert.Equal(generated.Count, imported.Count);
            foreach (var order in imported)
            {
                var source = generated[order.ExternalId];
                Assert.Equal((source.Name, source.LocalDate, source.CreatedAtUtc), (order.Name, order.LocalDate, order.CreatedAtUtc));
                Assert.Equal((source.GrossSales, source.Discounts, source.Shipping, source.Taxes, source.Total),
                    (order.GrossSales, order.Discounts, order.Shipping, order.Taxes, order.Total));
                Assert.Equal((source.IsTest, source.CancelledAtUtc is null), (order.IsTest, order.CancelledAtUtc is null));
                Assert.Equal(source.Lines.Count, order.Lines.Count);
            }
            var customers = data.Orders.Where(o => o.Email is not null).Select(o => o.Email).Distinct().Count();
            Assert.Equal(customers, await db.Customers.CountAsync());

            Assert.Equal(data.Insights.Count, await db.AdInsights.CountAsync());
            Assert.Equal(data.Insights.Sum(i => i.Spend), (await db.AdInsights.Select(i => i.Spend).ToListAsync()).Sum());
            Assert.Equal(data.Insights.Sum(i => i.Purchases), (await db.AdInsights.Select(i => i.Purchases).ToListAsync()).Sum());
            Assert.Equal(data.Ads.Count(a => data.Insights.Any(i => i.AdId == a.Id)), await db.Ads.CountAsync());
        });
    }

    private static async Task<JsonElement> ImportAsync(HttpClient api, string path, Func<TextWriter, Task> write)
    {
        await using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await write(text);
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "export.csv");
        using var response = await api.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
    }
}
