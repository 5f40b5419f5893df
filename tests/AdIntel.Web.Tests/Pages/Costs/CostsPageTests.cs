using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Imports;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Costs;

/// <summary>
/// Product costs end to end on a store known only from its orders export (the fixture file, whose lines carry SKUs but
/// no costs): the costs page, its CSV import and API change the overview's COGS, margin and coverage warning.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class CostsPageTests(AppFixture fixture)
{
    private const string March = "from=2024-03-01&to=2024-03-31";
    private const string January2008 = "from=2008-01-01&to=2008-01-31";

    [Fact]
    public async Task Costs_entered_on_the_page_change_the_overview_margin_and_clear_the_coverage_warning()
    {
        var store = await ImportedStoreAsync();
        var before = await KpisAsync(store, March);
        Assert.Equal(0m, before.GetProperty("cogsCoverage").GetDecimal());
        var overview = await store.Api.GetStringAsync("/?" + March);
        Assert.Contains("data-testid=\"cogs-coverage-warning\"", overview);
        Assert.Contains("href=\"/costs?from=2024-03-01&amp;to=2024-03-31\"", overview);

        var page = await store.Api.GetStringAsync("/costs?" + March);
        Assert.Contains("IPOD2008GREEN", page);
        Assert.Contains("No cost", page);
        var token = await TokenAsync(store);

        // Inline edit as htmx does it: the row's edit form, then the save answers with the list.
        using (var edit = new HttpRequestMessage(HttpMethod.Get, "/costs?" + March + "&edit=sku%3AIPOD2008GREEN"))
        {
            edit.Headers.Add("HX-Request", "true");
            using var response = await store.Api.SendAsync(edit);
            var row = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("<tr", row.Trim(), StringComparison.Ordinal);
            Assert.Contains("name=\"unitCost\"", row);
            Assert.DoesNotContain("<html", row);
        }
        using (var save = await PostAsync(store, "/costs?" + March, token, htmx: true, ("item", "sku:IPOD2008GREEN"), ("unitCost", "120")))
        {
            var list = await save.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, save.StatusCode);
            Assert.Contains("data-testid=\"cost-saved\"", list);
            Assert.Contains("$120.00", list);
        }
        // The others as plain forms: each redirects back to the page.
        foreach (var (sku, cost) in new[] { ("LS-M", "20"), ("LS-L", "20"), ("WS-1", "4") })
        {
            using var save = await PostAsync(store, "/costs?" + March, token, htmx: false, ("item", "sku:" + sku), ("unitCost", cost));
            Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        }

        // COGS of March: 120 (1 iPod) + 2 × 20 + 20 + 3 × 4 = 192, all of it off the margin.
        var after = await KpisAsync(store, March);
        Assert.Equal(192m, after.GetProperty("cogs").GetDecimal());
        Assert.Equal(before.GetProperty("contributionMargin").GetDecimal() - 192m, after.GetProperty("contributionMargin").GetDecimal());
        // 361 of 433.50 line sales now have a cost (the tote and the line without a SKU do not; the sticker's order is a test order).
        Assert.Equal(Math.Round(361m / 433.5m, 4), after.GetProperty("cogsCoverage").GetDecimal());
        overview = await store.Api.GetStringAsync("/?" + March);
        Assert.DoesNotContain("cogs-coverage-warning", overview);
    }

    [Fact]
    public async Task Costs_csv_with_two_bad_lines_reports_exactly_those_lines_and_imports_the_rest()
    {
        var store = await ImportedStoreAsync();
        const string csv = "SKU,Cost,Valid from\nIPOD2008GREEN,100,\nLS-M,abc,\nNOPE-404,5,\nTOTE,7.5,2024-03-01\n";

        var result = await ImportTestFiles.ImportAsync(store.Api, "/api/import/product-costs", csv);

        Assert.Equal(4, result.GetProperty("rowsRead").GetInt32());
        Assert.Equal(2, result.GetProperty("costsAdded").GetInt32());
        Assert.Equal(2, result.GetProperty("skipped").GetInt32());
        var errors = result.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([3, 4], errors.Select(e => e.GetProperty("line").GetInt32()));
        Assert.Contains("Cost “abc” is not an amount", errors[0].GetProperty("message").GetString());
        Assert.Contains("NOPE-404", errors[1].GetProperty("message").GetString());

        var items = await ItemsAsync(store, March);
        Assert.Equal(100m, items["IPOD2008GREEN"].GetProperty("unitCost").GetDecimal());
        Assert.Equal("csv", items["IPOD2008GREEN"].GetProperty("source").GetString());
        Assert.Equal(7.5m, items["TOTE"].GetProperty("unitCost").GetDecimal());
        Assert.Equal("2024-03-01", items["TOTE"].GetProperty("costFrom").GetString());
        Assert.Equal(JsonValueKind.Null, items["LS-M"].GetProperty("unitCost").ValueKind);
        // March: one iPod at 100 and one tote at 7.50.
        Assert.Equal(107.5m, (await KpisAsync(store, March)).GetProperty("cogs").GetDecimal());

        var again = await ImportTestFiles.ImportAsync(store.Api, "/api/import/product-costs", csv);
        Assert.Equal(0, again.GetProperty("costsAdded").GetInt32());
        Assert.Equal(2, again.GetProperty("costsUnchanged").GetInt32());
    }

    [Fact]
    public async Task A_cost_with_a_valid_from_date_leaves_earlier_periods_with_the_cost_they_had()
    {
        var store = await ImportedStoreAsync();
        await PutAsync(store, "/api/costs/sku/IPOD2008GREEN", new { unitCost = 100 });
        // Without a date the cost fills every earlier order that had none: January 2008 and March 2024 alike.
        Assert.Equal(100m, (await KpisAsync(store, January2008)).GetProperty("cogs").GetDecimal());
        Assert.Equal(100m, (await KpisAsync(store, March)).GetProperty("cogs").GetDecimal());
        var january = await KpisAsync(store, January2008);

        await PutAsync(store, "/api/costs/sku/IPOD2008GREEN", new { unitCost = 150, validFrom = "2024-03-01" });
        Assert.Equal(150m, (await KpisAsync(store, March)).GetProperty("cogs").GetDecimal());
        Assert.Equal(january.GetProperty("contributionMargin").GetDecimal(), (await KpisAsync(store, January2008)).GetProperty("contributionMargin").GetDecimal());

        // A later change without a date applies from today on: both past periods keep theirs.
        await PutAsync(store, "/api/costs/sku/IPOD2008GREEN", new { unitCost = 170 });
        Assert.Equal(150m, (await KpisAsync(store, March)).GetProperty("cogs").GetDecimal());
        Assert.Equal(100m, (await KpisAsync(store, January2008)).GetProperty("cogs").GetDecimal());
        var item = (await ItemsAsync(store, March))["IPOD2008GREEN"];
        Assert.Equal(170m, item.GetProperty("unitCost").GetDecimal());
        Assert.Equal("manual", item.GetProperty("source").GetString());
        Assert.Equal(3, await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.ProductCosts.CountAsync()));
    }

    [Fact]
    public async Task Another_stores_variants_are_never_listed_nor_editable()
    {
        var app = fixture.SqliteApp;
        var demoVariant = await app.WithDbAsync(app.DemoStoreId, db => db.ProductVariants.OrderBy(v => v.Id).Select(v => new { v.Id, v.Sku }).FirstAsync());
        var store = await ImportedStoreAsync();

        var page = await store.Api.GetStringAsync("/costs?edit=v" + demoVariant.Id);
        Assert.DoesNotContain(demoVariant.Sku!, page);
        Assert.DoesNotContain("name=\"unitCost\"", page);
        Assert.DoesNotContain(demoVariant.Sku!, await store.Api.GetStringAsync("/api/costs"));

        using var put = await store.Api.PutAsJsonAsync($"/api/costs/{demoVariant.Id}", new { unitCost = 1 });
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        var token = await TokenAsync(store);
        using var post = await PostAsync(store, "/costs", token, htmx: false, ("item", "v" + demoVariant.Id), ("unitCost", "1"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        using var sku = await store.Api.PutAsJsonAsync($"/api/costs/sku/{demoVariant.Sku}", new { unitCost = 1 });
        Assert.Equal(HttpStatusCode.NotFound, sku.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(app.DemoStoreId, db => db.ProductCosts.CountAsync()));
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_answer_and_accountants_read_but_do_not_edit()
    {
        var store = await ImportedStoreAsync();
        using var negative = await store.Api.PutAsJsonAsync("/api/costs/sku/TOTE", new { unitCost = -1 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, negative.StatusCode);
        Assert.Contains("\"unitCost\"", await negative.Content.ReadAsStringAsync());
        using var badRange = await store.Api.GetAsync("/api/costs?from=2024-03-31&to=2024-03-01");
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);

        var accountant = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Accountant);
        var page = await accountant.Api.GetStringAsync("/costs");
        Assert.Contains("No products yet", page);
        Assert.DoesNotContain("Upload a costs CSV", page);
        using var put = await accountant.Api.PutAsJsonAsync("/api/costs/sku/TOTE", new { unitCost = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
    }

    private async Task<TestStore> ImportedStoreAsync()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(timeZone: "America/New_York");
        await ImportTestFiles.ImportAsync(store.Api, ImportTestFiles.ShopifyPath, ImportTestFiles.Read(ImportTestFiles.ShopifyOrders));
        return store;
    }

    private static async Task<JsonElement> KpisAsync(TestStore store, string range)
    {
        using var document = JsonDocument.Parse(await store.Api.GetStringAsync("/api/overview?" + range));
        return document.RootElement.GetProperty("data").GetProperty("kpis").Clone();
    }

    private static async Task<Dictionary<string, JsonElement>> ItemsAsync(TestStore store, string range)
    {
        using var document = JsonDocument.Parse(await store.Api.GetStringAsync("/api/costs?" + range));
        return document.RootElement.GetProperty("data").GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("sku").GetString()!, i => i.Clone());
    }

    private static async Task PutAsync(TestStore store, string path, object body)
    {
        using var response = await store.Api.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The antiforgery token of the page's edit form (a row opened without htmx).</summary>
    private static async Task<string> TokenAsync(TestStore store)
    {
        var page = await store.Api.GetStringAsync("/costs?edit=sku%3ATOTE");
        var token = TokenField().Match(page).Groups["token"].Value;
        Assert.NotEqual("", token);
        return token;
    }

    private static async Task<HttpResponseMessage> PostAsync(TestStore store, string url, string token, bool htmx, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }
        return await store.Api.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();
}
