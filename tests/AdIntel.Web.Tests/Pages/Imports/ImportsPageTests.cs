using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Imports;
using AdIntel.Web.Tests.Imports;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Pages.Imports;

[Collection(AppCollection.Name)]
public sealed partial class ImportsPageTests(AppFixture fixture)
{
    [Fact]
    public async Task Get_shows_every_upload_form_with_help_and_an_empty_history()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        var html = await store.Api.GetStringAsync("/imports");

        Assert.Equal(3, Regex.Count(html, "enctype=\"multipart/form-data\""));
        Assert.Contains("hx-post=\"/imports?handler=ShopifyOrders\"", html);
        Assert.Contains("hx-post=\"/imports?handler=MetaAds\"", html);
        Assert.Contains("hx-post=\"/imports?handler=ProductCosts\"", html);
        Assert.Contains("hx-encoding=\"multipart/form-data\"", html);
        Assert.Contains("__RequestVerificationToken", html);
        Assert.Contains("Plain CSV file", html);
        Assert.Contains("Breakdown → By time → Day", html);
        Assert.Contains("No imports yet", html);
    }

    [Fact]
    public async Task Htmx_upload_shows_progress_then_the_result_and_history()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        var token = await AntiforgeryTokenAsync(store.Api);

        using var upload = await PostFileAsync(store.Api, "/imports?handler=ShopifyOrders", ImportTestFiles.Read(ImportTestFiles.ShopifyOrders),
            ImportTestFiles.ShopifyOrders, token, htmx: true);
        var partial = await upload.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Contains("hx-trigger=\"every 1s\"", partial);
        var runUrl = WebUtility.HtmlDecode(RunUrl().Match(partial).Groups["url"].Value);
        var result = WebUtility.HtmlDecode(await PollUntilFinishedAsync(store.Api, runUrl));
        Assert.Contains("was imported", result);
        Assert.Contains("Orders created", result);
        Assert.DoesNotContain("every 1s", result);
        Assert.Contains("hx-swap-oob=\"true\"", result);
        Assert.Contains("shopify_orders_export.csv", result);
        Assert.Contains("8 new orders · 0 updated · 0 unchanged", result);
        Assert.Equal(8, await app.WithDbAsync(store.StoreId, db => db.Orders.CountAsync()));
    }

    [Fact]
    public async Task Plain_form_upload_redirects_to_the_run_and_lists_line_errors()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        var token = await AntiforgeryTokenAsync(store.Api);
        var csv = ImportTestFiles.Read(ImportTestFiles.MetaAds).Replace(",active,144.,", ",active,lots,", StringComparison.Ordinal);

        using var upload = await PostFileAsync(store.Api, "/imports?handler=MetaAds", csv, ImportTestFiles.MetaAds, token, htmx: false);

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var runId = long.Parse(upload.RequestMessage!.RequestUri!.Query.Split("run=")[1], System.Globalization.CultureInfo.InvariantCulture);
        var result = WebUtility.HtmlDecode(await PollUntilFinishedAsync(store.Api, $"/imports?handler=Run&id={runId}"));
        Assert.Contains("except for 1 line with errors", result);
        Assert.Contains("<dt>Ad days created</dt><dd>9</dd>", result);
        Assert.Contains("Amount spent “lots” is not an amount", result);
        Assert.Equal(9, await app.WithDbAsync(store.StoreId, db => db.AdInsights.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Api_and_page_imports_run_as_the_same_hangfire_job_and_leave_no_upload_behind(string provider)
    {
        await using var app = await fixture.StartAppAsync(provider, new Dictionary<string, string?>());
        var store = await app.CreateStoreAsync();

        var answered = await ImportTestFiles.ImportAsync(store.Api, ImportTestFiles.MetaPath, ImportTestFiles.Read(ImportTestFiles.MetaAds));
        using (var upload = await PostFileAsync(store.Api, "/imports?handler=ShopifyOrders", ImportTestFiles.Read(ImportTestFiles.ShopifyOrders),
            ImportTestFiles.ShopifyOrders, await AntiforgeryTokenAsync(store.Api), htmx: true))
        {
            await PollUntilFinishedAsync(store.Api, WebUtility.HtmlDecode(RunUrl().Match(await upload.Content.ReadAsStringAsync()).Groups["url"].Value));
        }

        var runs = await app.WithDbAsync(store.StoreId, db => db.ImportRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
        Assert.Equal([(ImportKinds.MetaAds, RunStatuses.Succeeded, null), (ImportKinds.ShopifyOrders, RunStatuses.Succeeded, null)],
            runs.Select(r => (r.Kind, r.Status, r.UploadName)));
        // The API answered with what its job recorded.
        Assert.Equal(4, answered.Int("adsCreated"));
        using (var recorded = System.Text.Json.JsonDocument.Parse(runs[0].ResultJson))
        {
            Assert.True(System.Text.Json.JsonElement.DeepEquals(recorded.RootElement, answered), answered.GetRawText());
        }
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        List<(long StoreId, long RunId)> jobs = [];
        await Eventually.HoldsAsync(() =>
        {
            jobs = monitoring.SucceededJobs(0, 100).Select(j => j.Value.Job).Where(j => j?.Type == typeof(ImportJob) && j.Method.Name == nameof(ImportJob.RunAsync))
                .Select(j => ((long)j!.Args[0], (long)j.Args[1])).Order().ToList();
            return Task.FromResult(jobs.Count == 2);
        }, "Both imports' jobs should have succeeded", describe: app.DescribeJobs);
        Assert.Equal(runs.Select(r => (store.StoreId, r.Id)), jobs);
        // The uploads were kept in the database until their run ended.
        Assert.Equal(0, await app.WithDbAsync(null, db => db.ImportUploadChunks.IgnoreQueryFilters().CountAsync()));
    }

    [Fact]
    public async Task Htmx_upload_of_a_workbook_is_refused_next_to_the_form()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        var token = await AntiforgeryTokenAsync(store.Api);

        using var upload = await PostFileAsync(store.Api, "/imports?handler=ShopifyOrders", "a,b\n1,2\n", "orders.xlsx", token, htmx: true);
        var html = WebUtility.HtmlDecode(await upload.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Contains("banner critical", html);
        Assert.Contains("is not a CSV file", html);
        Assert.False(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.ImportRuns.AnyAsync()));
    }

    [Fact]
    public async Task Upload_without_antiforgery_token_is_refused()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var upload = await PostFileAsync(store.Api, "/imports?handler=ShopifyOrders", ImportTestFiles.Read(ImportTestFiles.ShopifyOrders),
            ImportTestFiles.ShopifyOrders, token: null, htmx: false);

        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Contains("This form has expired", WebUtility.HtmlDecode(await upload.Content.ReadAsStringAsync()));
        Assert.False(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.ImportRuns.AnyAsync()));
    }

    [Fact]
    public async Task Viewer_cannot_open_imports()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);

        using var response = await store.Api.GetAsync("/imports");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/imports");
        return TokenField().Match(html).Groups["token"].Value;
    }

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string url, string csv, string fileName, string? token, bool htmx)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", fileName);
        if (token is not null)
        {
            content.Add(new StringContent(token), "__RequestVerificationToken");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }
        return await client.SendAsync(request);
    }

    private static async Task<string> PollUntilFinishedAsync(HttpClient client, string runUrl)
    {
        var html = "";
        await Eventually.HoldsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, runUrl);
            request.Headers.Add("HX-Request", "true");
            using var response = await client.SendAsync(request);
            html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // The finished rendering stops polling.
            return !html.Contains("every 1s", StringComparison.Ordinal);
        }, "The import did not finish", TimeSpan.FromSeconds(60), () => html);
        return html;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("hx-get=\"(?<url>[^\"]+)\"")]
    private static partial Regex RunUrl();
}
