using System.Net;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// An agency in one installation: an owner adds a client's store from the store menu, owns it, is switched to it, and
/// switches back; each store's data stays its own, and the form refuses what cannot be a store without creating one.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class NewStoreTests(AppFixture fixture)
{
    [Fact]
    public async Task An_owner_adds_a_store_owns_it_switches_between_both_and_each_keeps_its_data()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var first = await local.CreateStoreAsync("Agency HQ");
        var owner = await local.CreateMemberAsync(first, StoreRole.Owner);
        await local.App.WithDbAsync(first, async db =>
        {
            var account = new AdAccount { ExternalId = "act_hq_" + first, Name = "HQ" };
            db.AdAccounts.Add(account);
            await db.SaveChangesAsync();
            db.Campaigns.Add(new Campaign { AdAccountId = account.Id, ExternalId = "hq-" + first, Name = "HQ prospecting", UpdatedAtUtc = PinnedDate.UtcNow });
            await db.SaveChangesAsync();
        });
        var browser = await local.SignInAsync(owner.Email);
        Assert.Contains("data-testid=\"add-store\"", await browser.Client.GetStringAsync("/"), StringComparison.Ordinal);
        var shop = $"client-{Guid.NewGuid().ToString("N")[..8]}.myshopify.com";

        using var added = await browser.PostFormAsync("/account/stores/new",
            ("Input.Name", "Client Co"), ("Input.ShopDomain", shop), ("Input.Currency", "eur"), ("Input.TimeZone", "Europe/Berlin"));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var store = await local.App.WithDbAsync(null, db => db.Stores.AsNoTracking().SingleAsync(s => s.ShopDomain == shop));
        Assert.Equal(("Client Co", "EUR", "Europe/Berlin"), (store.Name, store.Currency, store.TimeZone));
        var membership = await local.App.WithDbAsync(store.Id, db => db.StoreMembers.AsNoTracking().SingleAsync());
        Assert.Equal((owner.UserId, StoreRole.Owner), (membership.UserId!.Value, membership.Role));
        Assert.Equal(1, await local.App.WithDbAsync(store.Id, db => db.AuditEntries.CountAsync(e => e.Action == "store.created")));

        // Now in the new store: its overview is empty, the first store's campaign is not there, and the menu offers the way back.
        var home = await browser.Client.GetStringAsync("/");
        Assert.Contains("Client Co", home, StringComparison.Ordinal);
        Assert.DoesNotContain("HQ prospecting", await browser.Client.GetStringAsync("/campaigns"), StringComparison.Ordinal);
        Assert.Contains("Agency HQ", home, StringComparison.Ordinal);

        using var back = await browser.PostFormAsync("/account/switch-store", ("storeId", first.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Contains("HQ prospecting", await browser.Client.GetStringAsync("/campaigns"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_details_and_a_taken_address_are_refused_with_the_reason_and_create_nothing_and_only_owners_may_add()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var first = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(first, StoreRole.Owner);
        var marketer = await local.CreateMemberAsync(first, StoreRole.Marketer);
        var taken = await local.App.WithDbAsync(null, db => db.Stores.Where(s => s.Id == first).Select(s => s.ShopDomain).SingleAsync());
        var before = await local.App.WithDbAsync(null, db => db.Stores.CountAsync());
        var browser = await local.SignInAsync(owner.Email);

        using var bad = await browser.PostFormAsync("/account/stores/new",
            ("Input.Name", " "), ("Input.ShopDomain", "https://evil.example"), ("Input.Currency", "EURO"), ("Input.TimeZone", "Mars/Olympus"));
        var html = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Name your store.", html, StringComparison.Ordinal);
        Assert.Contains("ending in .myshopify.com", html, StringComparison.Ordinal);
        Assert.Contains("three-letter code", html, StringComparison.Ordinal);
        Assert.Contains("Choose the store's time zone", html, StringComparison.Ordinal);

        using var duplicate = await browser.PostFormAsync("/account/stores/new",
            ("Input.Name", "Copy"), ("Input.ShopDomain", taken), ("Input.Currency", "USD"), ("Input.TimeZone", "UTC"));
        Assert.Contains("is already a store of this installation", WebUtility.HtmlDecode(await duplicate.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, await local.App.WithDbAsync(null, db => db.Stores.CountAsync()));

        var notOwner = await local.SignInAsync(marketer.Email);
        Assert.DoesNotContain("data-testid=\"add-store\"", await notOwner.Client.GetStringAsync("/"), StringComparison.Ordinal);
        using var form = await notOwner.Client.GetAsync("/account/stores/new");
        Assert.True(form.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect && form.Headers.Location?.ToString().Contains("new", StringComparison.Ordinal) != true,
            $"A marketer is refused the form (got {(int)form.StatusCode} {form.Headers.Location})");
        using var refused = await notOwner.PostFormAsync("/account/stores/new",
            ("Input.Name", "Sneaky"), ("Input.ShopDomain", "sneaky-" + Guid.NewGuid().ToString("N")[..6] + ".myshopify.com"), ("Input.Currency", "USD"), ("Input.TimeZone", "UTC"));
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"A marketer cannot add a store (got {(int)refused.StatusCode})");
        Assert.Equal(before, await local.App.WithDbAsync(null, db => db.Stores.CountAsync()));
    }
}
