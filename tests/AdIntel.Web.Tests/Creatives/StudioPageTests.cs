using System.Net;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// The Creative Studio page on the demo store, as htmx drives it: generated variants swap in with their scores, a variant
/// is saved, edited inline (scored and checked again) and deleted; bad input is said, not thrown.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StudioPageTests(AppFixture fixture)
{
    private const string Page = "/creatives/studio";

    [Fact]
    public async Task Variants_are_generated_saved_edited_and_deleted_in_place()
    {
        var app = fixture.SqliteApp;
        var browser = new Browser(app.CreateClient());
        var product = "Studio sock " + Guid.NewGuid().ToString("N")[..6];

        var page = await browser.Client.GetStringAsync(Page);
        var demoProduct = await app.WithDbAsync(app.DemoStoreId, db => db.Products.OrderBy(p => p.Title).Select(p => p.Title).FirstAsync());
        Assert.Contains($"<option value=\"{System.Net.WebUtility.HtmlEncode(demoProduct)}\">", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"generate-form\"", page, StringComparison.Ordinal);

        var generated = await HtmxAsync(browser, Page + "?handler=Generate", ("product", product), ("angle", "offer"), ("format", "image"), ("count", "2"));
        Assert.DoesNotContain("<html", generated, StringComparison.Ordinal);
        Assert.Equal(2, Count(generated, "data-testid=\"variant-card\""));
        Assert.Equal(2, Count(generated, "data-testid=\"variant-score\""));
        Assert.Contains("Hook in the first 125 characters", generated, StringComparison.Ordinal);

        var saved = await HtmxAsync(browser, Page + "?handler=Save", ("product", product), ("angle", "offer"), ("format", "image"),
            ("primaryText", $"See today's price on {product}. Shop now."), ("headline", "Shop the range"), ("description", ""), ("callToAction", "SHOP_NOW"),
            ("link", ""), ("origin", "template"));
        Assert.Contains("Saved the variant", saved, StringComparison.Ordinal);
        Assert.Contains($"See today&#x27;s price on {product}", saved, StringComparison.Ordinal);
        var id = await app.WithDbAsync(app.DemoStoreId, db => db.CreativeVariants.Where(v => v.Product == product).Select(v => v.Id).SingleAsync());

        using var editRequest = new HttpRequestMessage(HttpMethod.Get, $"{Page}?handler=Edit&id={id}");
        editRequest.Headers.Add("HX-Request", "true");
        var editForm = await (await browser.Client.SendAsync(editRequest)).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"saved-variant-edit\"", editForm, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", editForm, StringComparison.Ordinal);

        var refused = await HtmxAsync(browser, $"{Page}?handler=Edit&id={id}", ("product", product), ("primaryText", " "));
        Assert.Contains("Not saved", refused, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"saved-variant-edit\"", refused, StringComparison.Ordinal);

        var edited = await HtmxAsync(browser, $"{Page}?handler=Edit&id={id}", ("product", product), ("primaryText", "Are you diabetic? These socks are for you."),
            ("headline", "Made for you"), ("callToAction", "LEARN_MORE"));
        Assert.Contains("Saved your changes", edited, StringComparison.Ordinal);
        var row = await app.WithDbAsync(app.DemoStoreId, db => db.CreativeVariants.AsNoTracking().SingleAsync(v => v.Id == id));
        Assert.Equal("edited", row.Origin);
        Assert.Equal(1, row.PolicyFindings);
        Assert.Contains("1 policy finding(s)", edited, StringComparison.Ordinal);

        var deleted = await HtmxAsync(browser, $"{Page}?handler=Delete&id={id}");
        Assert.Contains("Deleted the variant", deleted, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(app.DemoStoreId, db => db.CreativeVariants.AnyAsync(v => v.Id == id)));
        using var gone = await PostHtmxAsync(browser, $"{Page}?handler=Delete&id={id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_bad_generation_form_is_answered_with_what_to_fix()
    {
        var browser = new Browser(fixture.SqliteApp.CreateClient());

        var fragment = await HtmxAsync(browser, Page + "?handler=Generate", ("product", ""), ("angle", "benefit"), ("format", "image"), ("count", "11"));
        Assert.Contains("Nothing was generated", fragment, StringComparison.Ordinal);
        Assert.Contains("count must be a whole number from 1 to 10", fragment, StringComparison.Ordinal);

        var token = await browser.AntiforgeryTokenAsync(Page);
        using var plain = await browser.Client.PostAsync(Page + "?handler=Generate", Browser.Form(token, ("product", "Socks"), ("angle", "fear"), ("count", "2")));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("angle must be one of", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var own = await HtmxAsync(browser, Page + "?handler=Score", ("primaryText", ""));
        Assert.Contains("Write the primary text to score", own, StringComparison.Ordinal);
    }

    private static async Task<string> HtmxAsync(Browser browser, string url, params (string Name, string Value)[] fields)
    {
        using var response = await PostHtmxAsync(browser, url, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body[..Math.Min(500, body.Length)]}");
        return body;
    }

    private static async Task<HttpResponseMessage> PostHtmxAsync(Browser browser, string url, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))) };
        request.Headers.Add("RequestVerificationToken", await browser.AntiforgeryTokenAsync(Page));
        request.Headers.Add("HX-Request", "true");
        return await browser.Client.SendAsync(request);
    }

    private static int Count(string html, string marker) => (html.Length - html.Replace(marker, "", StringComparison.Ordinal).Length) / marker.Length;
}
