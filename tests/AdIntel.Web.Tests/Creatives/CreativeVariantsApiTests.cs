using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Pages.Creatives;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// <c>/api/creatives/variants</c>: saving, editing (re-scored and re-checked) and deleting variants, the list of the ads'
/// own creatives and saved variants with paging and an origin filter, the CSV for Ads Manager, roles and store isolation.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CreativeVariantsApiTests(AppFixture fixture)
{
    [Fact]
    public async Task A_variant_is_saved_with_its_score_edited_and_rechecked_then_deleted()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);
        var generated = (await CreativeGenerationTests.GenerateAsync(store.Api, new { product = "Trail Socks", angle = "benefit", format = "image", count = 2 }))
            .GetProperty("variants")[0];

        using var created = await store.Api.PostAsJsonAsync("/api/creatives/variants", new
        {
            product = "Trail Socks", angle = "benefit", format = "image", primaryText = generated.GetProperty("primaryText").GetString(),
            headline = generated.GetProperty("headline").GetString(), description = generated.GetProperty("description").GetString(),
            callToAction = generated.GetProperty("callToAction").GetString(), link = "https://trail.example.com/socks", origin = "template",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var saved = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        var id = saved.GetProperty("id").GetInt64();
        Assert.Equal("template", saved.GetProperty("origin").GetString());
        Assert.Equal(generated.GetProperty("score").GetProperty("overall").GetInt32(), saved.GetProperty("score").GetInt32());
        Assert.True(saved.GetProperty("compliant").GetBoolean());
        Assert.StartsWith("Compliant", saved.GetProperty("complianceSummary").GetString(), StringComparison.Ordinal);
        Assert.Equal("member-", saved.GetProperty("createdBy").GetString()![..7]);

        using var edited = await store.Api.PutAsJsonAsync($"/api/creatives/variants/{id}", new
        {
            product = "Trail Socks", primaryText = "Are you diabetic? These socks are for you.", headline = "Made for you", callToAction = "LEARN_MORE",
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var after = (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        Assert.Equal("edited", after.GetProperty("origin").GetString());
        Assert.False(after.GetProperty("compliant").GetBoolean());
        Assert.Equal(1, after.GetProperty("policyFindings").GetInt32());
        Assert.Contains("Personal Attributes (\"Are you diabetic", after.GetProperty("complianceSummary").GetString(), StringComparison.Ordinal);
        Assert.True(after.GetProperty("score").GetInt32() < saved.GetProperty("score").GetInt32());
        Assert.Equal("LEARN_MORE", after.GetProperty("callToAction").GetString());

        var listed = await ListAsync(store.Api, "/api/creatives/variants?origin=edited");
        Assert.Equal(id, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetInt64());

        using var deleted = await store.Api.DeleteAsync($"/api/creatives/variants/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var again = await store.Api.DeleteAsync($"/api/creatives/variants/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty((await ListAsync(store.Api, "/api/creatives/variants")).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task The_list_pages_through_saved_variants_then_the_ads_own_creatives_and_filters_by_origin()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync(StoreRole.Marketer);
        await WriteAdsWithCreativesAsync(app, store.StoreId, 3);
        for (var i = 0; i < 2; i++)
        {
            using var saved = await store.Api.PostAsJsonAsync("/api/creatives/variants", new { product = "Socks " + i, primaryText = $"Shop socks {i}. Warm feet." });
            Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        }

        var first = await ListAsync(store.Api, "/api/creatives/variants?limit=3");
        var next = first.GetProperty("page").GetProperty("next").GetString();
        var second = await ListAsync(store.Api, "/api/creatives/variants?limit=3&cursor=" + next);
        var items = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).ToList();

        Assert.Equal(["edited", "edited", "synced", "synced", "synced"], items.Select(i => i.GetProperty("origin").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("page").GetProperty("next").ValueKind);
        Assert.Equal(5, items.Select(i => i.GetProperty("key").GetString()).Distinct().Count());
        var synced = items[2];
        Assert.Equal("Ad 2", synced.GetProperty("adName").GetString());
        Assert.True(synced.GetProperty("score").GetInt32() > 0);
        Assert.StartsWith("1 finding(s): Personal Attributes", synced.GetProperty("complianceSummary").GetString(), StringComparison.Ordinal);

        var onlySynced = await ListAsync(store.Api, "/api/creatives/variants?origin=synced");
        Assert.Equal(3, onlySynced.GetProperty("data").GetArrayLength());
        Assert.Empty((await ListAsync(store.Api, "/api/creatives/variants?origin=ai")).GetProperty("data").EnumerateArray());

        foreach (var bad in new[] { "?origin=robot", "?cursor=zz", "?cursor=v-1", "?limit=0", "?limit=201" })
        {
            using var response = await store.Api.GetAsync("/api/creatives/variants" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("bad_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task The_export_is_an_ads_manager_import_sheet_with_safe_cells()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);
        using var saved = await store.Api.PostAsJsonAsync("/api/creatives/variants", new
        {
            product = "Trail Socks", angle = "offer", primaryText = "Warm feet, all winter.\nShop \"Trail\" socks now.", headline = "=HYPERLINK(\"http://evil\")",
            description = "-10 degrees? No problem", callToAction = "GET_OFFER", link = "https://trail.example.com/socks?a=1,b=2", origin = "ai",
        });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var id = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("id").GetInt64();

        using var response = await store.Api.GetAsync("/api/creatives/variants/export.csv?campaign=Prospecting&adSet=Broad");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("adintel-variants-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var rows = ParseCsv(await response.Content.ReadAsStringAsync());

        Assert.Equal(["Campaign Name", "Ad Set Name", "Ad Name", "Ad Status", "Title", "Body", "Link Description", "Link", "Call to Action"], rows[0]);
        var row = Assert.Single(rows.Skip(1));
        Assert.Equal("Prospecting", row[0]);
        Assert.Equal("Broad", row[1]);
        Assert.Equal($"Trail Socks – Offer – {id}", row[2]);
        Assert.Equal("PAUSED", row[3]);
        Assert.Equal("'=HYPERLINK(\"http://evil\")", row[4]);
        Assert.Equal("Warm feet, all winter.\nShop \"Trail\" socks now.", row[5]);
        Assert.Equal("'-10 degrees? No problem", row[6]);
        Assert.Equal("https://trail.example.com/socks?a=1,b=2", row[7]);
        Assert.Equal("GET_OFFER", row[8]);

        using var badOrigin = await store.Api.GetAsync("/api/creatives/variants/export.csv?origin=synced");
        Assert.Equal(HttpStatusCode.BadRequest, badOrigin.StatusCode);
    }

    [Theory]
    [InlineData("{}", "product")]
    [InlineData("{\"product\": \"Socks\"}", "primaryText")]
    [InlineData("{\"product\": \"Socks\", \"primaryText\": \"Shop now.\", \"callToAction\": \"CLICK_HERE\"}", "callToAction")]
    [InlineData("{\"product\": \"Socks\", \"primaryText\": \"Shop now.\", \"link\": \"ftp://x\"}", "link")]
    [InlineData("{\"product\": \"Socks\", \"primaryText\": \"Shop now.\", \"origin\": \"synced\"}", "origin")]
    [InlineData("{\"product\": \"Socks\", \"primaryText\": \"Shop now.\", \"angle\": \"fear\"}", "angle")]
    public async Task A_bad_variant_is_refused_with_the_field_named(string body, string field)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);

        using var response = await store.Api.PostAsync("/api/creatives/variants", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_variant", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task A_viewer_reads_and_exports_but_cannot_generate_or_change_variants()
    {
        var app = fixture.SqliteApp;
        var marketer = await app.CreateStoreAsync(StoreRole.Marketer);
        var variantId = await SaveAsync(marketer.Api);
        var viewer = await ViewerOfAsync(app, marketer.StoreId);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/creatives/variants")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/creatives/variants/export.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/creatives/generate", new { product = "Socks", angle = "benefit", count = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/creatives/variants", new { product = "Socks", primaryText = "Shop now." })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/api/creatives/variants/{variantId}", new { product = "Socks", primaryText = "Shop now." })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/creatives/variants/{variantId}")).StatusCode);
    }

    [Fact]
    public async Task Another_stores_variant_is_not_found_and_never_listed_or_exported()
    {
        var app = fixture.SqliteApp;
        var a = await app.CreateStoreAsync(StoreRole.Marketer);
        var b = await app.CreateStoreAsync(StoreRole.Owner);
        var foreign = await SaveAsync(a.Api, "Secret product of A");

        using var put = await b.Api.PutAsJsonAsync($"/api/creatives/variants/{foreign}", new { product = "Mine now", primaryText = "Shop now." });
        using var delete = await b.Api.DeleteAsync($"/api/creatives/variants/{foreign}");
        var list = await b.Api.GetStringAsync("/api/creatives/variants");
        var export = await b.Api.GetStringAsync("/api/creatives/variants/export.csv");

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.DoesNotContain("Secret product of A", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret product of A", export, StringComparison.Ordinal);
        var own = await ListAsync(a.Api, "/api/creatives/variants");
        Assert.Equal("Secret product of A", Assert.Single(own.GetProperty("data").EnumerateArray()).GetProperty("product").GetString());
    }

    private static async Task<long> SaveAsync(HttpClient api, string product = "Socks")
    {
        using var response = await api.PostAsJsonAsync("/api/creatives/variants", new { product, primaryText = "Shop warm socks now." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("id").GetInt64();
    }

    /// <summary>An API client of a viewer of <paramref name="storeId"/> (a store's tokens are made per role).</summary>
    private static async Task<HttpClient> ViewerOfAsync(AdIntelApp app, long storeId)
    {
        var token = AdIntel.Web.Infrastructure.Auth.ApiTokenAuthenticationHandler.NewToken();
        await app.WithDbAsync(storeId, async db =>
        {
            var member = new StoreMember { Email = $"viewer-{Guid.NewGuid():N}@adintel.test", Role = StoreRole.Viewer, CreatedAtUtc = PinnedDate.UtcNow };
            db.StoreMembers.Add(member);
            await db.SaveChangesAsync();
            db.ApiTokens.Add(new ApiToken { MemberId = member.Id, Name = "viewer", Role = StoreRole.Viewer, Prefix = token[..8],
                TokenHash = AdIntel.Web.Infrastructure.Auth.ApiTokenAuthenticationHandler.Hash(token), CreatedAtUtc = PinnedDate.UtcNow });
            await db.SaveChangesAsync();
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> ListAsync(HttpClient api, string url)
    {
        using var response = await api.GetAsync(url);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json;
    }

    /// <summary>Ads "Ad 0".."Ad n-1" with one creative each; the creatives' copy asks about a health condition (a policy finding).</summary>
    private static async Task WriteAdsWithCreativesAsync(AdIntelApp app, long storeId, int count)
    {
        var account = new IncomingAdAccount("act_777", "Account", "USD");
        var ads = Enumerable.Range(0, count).Select(i => new IncomingAd($"a-{i}", "s-1", $"Ad {i}", null)).ToList();
        await app.WithServiceAsync<MetaAdsWriter, AdStructureWriteResult>(storeId, writer => writer.UpsertStructureAsync(new IncomingAdStructure(
            [account], [new IncomingCampaign("c-1", account.ExternalId, "Campaign", null)], [new IncomingAdSet("s-1", "c-1", "Ad set", null)], ads), CancellationToken.None));
        await app.WithServiceAsync<AdCreativeWriter, AdCreativeWriteResult>(storeId, writer => writer.UpsertAsync(
            [.. ads.Select(a => new IncomingAdCreative(a.ExternalId, "cr-" + a.ExternalId, CreativeFormats.Image, "Are you diabetic? Shop soft socks.", "Soft socks",
                null, "SHOP_NOW", null, "https://shop.example.com/"))], CancellationToken.None));
    }

    /// <summary>RFC 4180 rows (quoted fields may hold commas, quotes and line breaks).</summary>
    private static List<string[]> ParseCsv(string text)
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
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return rows;
    }
}
