using System.Net;
using AdIntel.Web.Domain;
using AdIntel.Web.Pages.Creatives;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// The Creative Intelligence screen: sections for the store's creatives, competitors and trends; a marketer watches a
/// competitor from the page (the API's rules, field by field) and browses its ads with filters, order and pages; a
/// viewer reads only; the trends render with their charts; bad choices are said, never a 500.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class CreativeIntelligencePageTests(AppFixture fixture)
{
    [Fact]
    public async Task A_marketer_watches_a_competitor_from_the_page_and_browses_its_ads()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await local.CreateStoreAsync();
        var marketer = await local.CreateMemberAsync(storeId, StoreRole.Marketer);
        var browser = await local.SignInAsync(marketer.Email);

        var empty = await browser.Client.GetStringAsync("/creatives?tab=competitors");
        Assert.Contains("data-testid=\"no-competitors\"", empty, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"not-connected\"", empty, StringComparison.Ordinal);
        Assert.Contains("Watch a competitor", empty, StringComparison.Ordinal);

        // Refused field by field, the typed values kept; nothing stored.
        using var refused = await browser.PostHtmxAsync("/creatives?handler=Competitor", ("Name", "Example Apparel"), ("SearchTerms", ""), ("Countries", "DE, XX"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Give at least one search term or Facebook Page id.", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("Not ISO 3166-1 country codes: XX.", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"Example Apparel\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(0, await local.App.WithDbAsync(storeId, db => db.Competitors.CountAsync()));

        using var added = await browser.PostHtmxAsync("/creatives?handler=Competitor", ("Name", "Example Apparel"), ("SearchTerms", "linen shirt\nlinen dress"),
            ("Countries", "de fr"), ("AdStatus", "ALL"));
        var addedHtml = await added.Content.ReadAsStringAsync();
        Assert.Contains("Now watching Example Apparel.", addedHtml, StringComparison.Ordinal);
        Assert.Contains("connect Meta in Settings → Integrations and they are read at the next sync", addedHtml, StringComparison.Ordinal);
        var competitor = await local.App.WithDbAsync(storeId, db => db.Competitors.SingleAsync());
        Assert.Equal(["linen shirt", "linen dress"], competitor.SearchTerms);
        Assert.Equal(["DE", "FR"], competitor.Countries);
        Assert.Equal(CompetitorAdStatuses.All, competitor.AdStatus);

        // The same name again: the API's conflict, said on the page.
        using var again = await browser.PostFormAsync("/creatives?handler=Competitor", ("Name", "Example Apparel"), ("SearchTerms", "linen"), ("Countries", "DE"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already watches a competitor named", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Its ads as the Ad Library sync stores them: 30 running for 1–30 days, and a stopped one that ran 90 days.
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);
        await local.App.WithDbAsync(storeId, async db =>
        {
            for (var i = 1; i <= 30; i++)
            {
                db.CompetitorAds.Add(new CompetitorAd
                {
                    CompetitorId = competitor.Id, ArchiveId = $"9100{i:D4}", PageName = "Example Apparel", Bodies = [$"Linen shirt number {i}."], LinkTitles = ["Linen shirts"],
                    SnapshotUrl = $"https://www.facebook.com/ads/archive/render_ad/?id=9100{i:D4}", DeliveryStart = today.AddDays(-i + 1),
                    FirstSeenAtUtc = DateTime.UtcNow, LastSeenAtUtc = DateTime.UtcNow,
                });
            }
            db.CompetitorAds.Add(new CompetitorAd
            {
                CompetitorId = competitor.Id, ArchiveId = "92000001", PageName = "Example Apparel", Bodies = ["Summer dresses, 20% off."],
                DeliveryStart = today.AddDays(-120), DeliveryStop = today.AddDays(-31), FirstSeenAtUtc = DateTime.UtcNow, LastSeenAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var firstPage = await browser.Client.GetStringAsync($"/creatives?tab=competitors&competitor={competitor.Id}");
        Assert.Contains("31 ads · page 1 of 2", firstPage, StringComparison.Ordinal);
        Assert.Contains("data-archive-id=\"91000001\"", firstPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-archive-id=\"92000001\"", firstPage, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.facebook.com/ads/archive/render_ad/?id=91000001\"", firstPage, StringComparison.Ordinal);
        Assert.Contains("DE, FR", firstPage, StringComparison.Ordinal);
        var secondPage = await browser.Client.GetStringAsync($"/creatives?tab=competitors&competitor={competitor.Id}&adsPage=2");
        Assert.Contains("data-archive-id=\"92000001\"", secondPage, StringComparison.Ordinal);

        var stopped = await browser.Client.GetStringAsync($"/creatives?tab=competitors&status=stopped&adSort=longest");
        Assert.Contains("1 ad · page 1 of 1", stopped, StringComparison.Ordinal);
        Assert.Contains(">90<", stopped, StringComparison.Ordinal);
        Assert.Contains("Stopped", stopped, StringComparison.Ordinal);
        var searched = await browser.Client.GetStringAsync("/creatives?tab=competitors&q=number+30&adSort=longest");
        Assert.Contains("1 ad · page 1 of 1", searched, StringComparison.Ordinal);
        Assert.Contains("Linen shirt number 30.", searched, StringComparison.Ordinal);

        using var bad = await browser.Client.GetAsync("/creatives?tab=competitors&status=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Unknown status", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A viewer reads the list and the ads but gets no form, and cannot post one.
        var viewer = await local.CreateMemberAsync(storeId, StoreRole.Viewer);
        var viewerBrowser = await local.SignInAsync(viewer.Email);
        var read = await viewerBrowser.Client.GetStringAsync("/creatives?tab=competitors");
        Assert.Contains("Example Apparel", read, StringComparison.Ordinal);
        Assert.DoesNotContain("add-competitor-title", read, StringComparison.Ordinal);
        using var forbidden = await viewerBrowser.PostHtmxAsync("/creatives?handler=Competitor", ("Name", "B"), ("SearchTerms", "linen"), ("Countries", "DE"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        // Another store's competitor is not shown.
        var otherStore = await local.CreateStoreAsync();
        var stranger = await local.SignInAsync((await local.CreateMemberAsync(otherStore, StoreRole.Owner)).Email);
        using var foreign = await stranger.Client.GetAsync($"/creatives?tab=competitors&competitor={competitor.Id}");
        var foreignHtml = await foreign.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("not watched by this store", foreignHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Linen shirt number", foreignHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_stores_trends_render_with_charts_and_the_cards_stay_where_they_were()
    {
        var client = fixture.SqliteApp.CreateClient();

        var trends = await client.GetStringAsync("/creatives?tab=trends");
        Assert.Contains("data-testid=\"trends\"", trends, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"trend-store-formats\"", trends, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"trend-store-calls_to_action\"", trends, StringComparison.Ordinal);
        Assert.Contains("No competitors watched yet", trends, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Trends</a>", trends, StringComparison.Ordinal);
        Assert.Contains("Not enough data", trends, StringComparison.Ordinal);

        using var fragment = new HttpRequestMessage(HttpMethod.Get, "/creatives?tab=trends&window=30");
        fragment.Headers.Add("HX-Request", "true");
        var swapped = await (await client.SendAsync(fragment)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"creatives\"", swapped, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", swapped, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"true\">30 days</a>", swapped, StringComparison.Ordinal);

        using var badWindow = await client.GetAsync("/creatives?tab=trends&window=5");
        Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
        Assert.Contains("window is a number of days from 14 to 365", await badWindow.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badTab = await client.GetAsync("/creatives?tab=gallery");
        Assert.Equal(HttpStatusCode.BadRequest, badTab.StatusCode);
        Assert.Contains("Unknown section", await badTab.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var cards = await client.GetStringAsync("/creatives?preset=90d&sort=roas");
        Assert.Contains("class=\"card creative-card\"", cards, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Your creatives</a>", cards, StringComparison.Ordinal);
        Assert.Matches("href=\"/campaigns/\\d+/adsets/\\d+/ads/\\d+\"", cards);
    }
}
