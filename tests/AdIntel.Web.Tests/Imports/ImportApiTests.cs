using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Imports;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Imports;

/// <summary>What the import endpoints answer to uploads that are not a usable export, and who may call them.</summary>
[Collection(AppCollection.Name)]
public sealed class ImportApiTests(AppFixture fixture)
{
    [Fact]
    public async Task Post_without_file_field_is_400_naming_the_field()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        using var content = new MultipartFormDataContent { { new StringContent("x"), "note" } };

        using var response = await store.Api.PostAsync(ShopifyPath, content);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "missing_file", "“file”");
    }

    [Fact]
    public async Task Post_file_in_another_field_is_400_saying_which_field_was_sent()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await UploadAsync(store.Api, ShopifyPath, Read(ShopifyOrders), field: "upload");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "missing_file", "“upload”");
    }

    [Fact]
    public async Task Post_json_instead_of_multipart_is_400()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await store.Api.PostAsJsonAsync(MetaPath, new { file = "Day,Ad name" });

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "missing_file", "multipart/form-data");
    }

    [Fact]
    public async Task Post_empty_file_is_400()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await UploadAsync(store.Api, ShopifyPath, [], "orders.csv");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "empty_file", "orders.csv");
    }

    [Fact]
    public async Task Post_workbook_is_400_asking_for_csv()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var named = await UploadAsync(store.Api, ShopifyPath, Read(ShopifyOrders), "orders.xlsx");
        await AssertErrorAsync(named, HttpStatusCode.BadRequest, "not_csv", "orders.xlsx");

        // A workbook renamed to .csv is recognised by its content.
        byte[] zip = [.. "PK\u0003\u0004"u8, .. new byte[200]];
        using var renamed = await UploadAsync(store.Api, ShopifyPath, zip, "orders.csv");
        await AssertErrorAsync(renamed, HttpStatusCode.BadRequest, "not_csv", "Excel workbook");
    }

    [Fact]
    public async Task Post_binary_garbage_is_400_not_500()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);

        using var response = await UploadAsync(store.Api, MetaPath, garbage, "ads.csv");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "not_csv", "binary");
    }

    [Fact]
    public async Task Post_csv_with_unbalanced_quotes_is_422_with_the_line()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        const string broken = "Name,Created at,Lineitem quantity,Lineitem name,Lineitem price\n#1,2024-03-05 10:00:00 -0500,1,\"Shirt,20.00\n#2,2024-03-05 11:00:00 -0500,1,Tote,10.00\n";

        using var response = await UploadAsync(store.Api, ShopifyPath, broken);

        var error = await AssertErrorAsync(response, HttpStatusCode.UnprocessableEntity, "nothing_imported", "line 2");
        Assert.Contains("never closed", error.GetProperty("message").GetString());
        var details = error.GetProperty("details");
        Assert.Equal(2, details.Messages("errors")[0].Line);
        Assert.Equal(0, details.Int("ordersCreated"));
    }

    [Fact]
    public async Task Post_other_csv_is_422_naming_the_missing_columns()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await UploadAsync(store.Api, ShopifyPath, "Order,Date,Amount\n1,2024-03-05,10.00\n");

        var error = await AssertErrorAsync(response, HttpStatusCode.UnprocessableEntity, "missing_columns", "“Created at”");
        var missing = error.GetProperty("details").GetProperty("missing").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["Name", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price"], missing);
    }

    [Fact]
    public async Task Post_header_only_is_422_no_rows()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await UploadAsync(store.Api, ShopifyPath, Read(ShopifyOrders).Split('\n')[0] + "\n");

        await AssertErrorAsync(response, HttpStatusCode.UnprocessableEntity, "no_rows", "no rows");
    }

    [Fact]
    public async Task Post_file_over_the_limit_is_413()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        using var small = app.WithWebHostBuilder(b => b.UseSetting("Import:MaxFileMegabytes", "1"));
        using var client = small.CreateClient();
        client.DefaultRequestHeaders.Authorization = store.Api.DefaultRequestHeaders.Authorization;
        var header = Read(ShopifyOrders).Split('\n')[0];
        var big = new StringBuilder(header).Append('\n');
        while (big.Length < 1_200_000)
        {
            big.Append("#1,,,,,,,,,,,,,,,2024-03-05 10:00:00 -0500,1,Shirt,20.00\n");
        }

        using var response = await UploadAsync(client, ShopifyPath, big.ToString());

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "file_too_large", "1 MB");
        Assert.False(await app.WithDbAsync(store.StoreId, db => db.ImportRuns.AnyAsync()));
    }

    [Theory]
    [InlineData(StoreRole.Viewer)]
    [InlineData(StoreRole.Accountant)]
    public async Task Post_by_role_below_marketer_is_403(StoreRole role)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(role);

        using var response = await UploadAsync(store.Api, ShopifyPath, Read(ShopifyOrders));

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "forbidden", "role");
        Assert.False(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.Orders.AnyAsync()));
    }

    [Fact]
    public async Task Post_by_marketer_imports_and_records_the_run()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync(StoreRole.Marketer);

        await ImportAsync(store.Api, MetaPath, Read(MetaAds));

        var run = await app.WithDbAsync(store.StoreId, db => db.ImportRuns.SingleAsync());
        Assert.Equal((ImportKinds.MetaAds, RunStatuses.Succeeded, 10, 100), (run.Kind, run.Status, run.RowsRead, run.ProgressPercent));
        Assert.Equal("export.csv", run.FileName);
        Assert.NotNull(run.FinishedAtUtc);
        Assert.Equal(4, JsonDocument.Parse(run.ResultJson).RootElement.GetProperty("adsCreated").GetInt32());
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_into_one_store_is_invisible_to_another(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var importer = await app.CreateStoreAsync();
        var other = await app.CreateStoreAsync();
        await ImportAsync(importer.Api, ShopifyPath, Read(ShopifyOrders));
        await ImportAsync(importer.Api, MetaPath, Read(MetaAds));

        var overview = await other.Api.GetFromJsonAsync<JsonElement>("/api/overview?from=2024-03-01&to=2024-03-31");
        var kpis = overview.GetProperty("data").GetProperty("kpis");
        Assert.Equal(0, kpis.GetProperty("orders").GetInt32());
        Assert.Equal(0m, kpis.GetProperty("adSpend").GetDecimal());
        await app.WithDbAsync(other.StoreId, async db =>
        {
            Assert.False(await db.Orders.AnyAsync());
            Assert.False(await db.Customers.AnyAsync());
            Assert.False(await db.Ads.AnyAsync());
            Assert.False(await db.ImportRuns.AnyAsync());
        });

        // The same file in the other store is new there: created, not "unchanged".
        var data = await ImportAsync(other.Api, ShopifyPath, Read(ShopifyOrders));
        Assert.Equal(8, data.Int("ordersCreated"));
    }

    private static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        return error.Clone();
    }
}
