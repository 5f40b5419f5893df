using System.Globalization;
using System.Text.RegularExpressions;
using AdIntel.Fakes;
using AdIntel.Fakes.Meta;
using AdIntel.Fakes.Shopify;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

/// <summary>
/// A new merchant sets up AdIntel, connects the fake Shopify and the fake Meta in the browser through their real OAuth
/// flows, watches both syncs finish in Settings → Integrations, and finds the platforms' numbers on the overview.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class IntegrationsTests(E2EFixture fixture)
{
    private const string Shop = "e2e-outfitters.myshopify.com";

    [Fact]
    public async Task Merchant_connects_shopify_and_meta_and_sees_their_numbers_on_the_overview()
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var shopify = new FakeShopifyState();
        var catalog = shopify.Admin.Seed(Shop, FakeShopifyCatalog.Generate(seed: 5, orders: 600, until: now));
        await using var fakes = await FakeServer.StartAsync(meta: FakeMetaSample.Create(today, days: 60), shopify: shopify);
        var (app, baseAddress) = fixture.StartApp(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Local",
            ["Shopify:ClientId"] = shopify.ClientId,
            ["Shopify:ClientSecret"] = shopify.ClientSecret,
            ["Shopify:ShopUrlTemplate"] = fakes.ShopifyShopUrlTemplate,
            ["Meta:GraphBaseUrl"] = fakes.MetaBaseUrl,
            ["Meta:DialogBaseUrl"] = fakes.MetaBaseUrl,
            ["Meta:AppId"] = fakes.Meta.AppId,
            ["Meta:AppSecret"] = fakes.Meta.AppSecret,
            ["Meta:ReportPollInterval"] = "00:00:00.050",
            ["Meta:BackfillDays"] = "90",
        });
        await using var _ = app;
        var page = await fixture.NewPageAsync(baseAddress: baseAddress);

        // First run: the owner account and the store.
        await page.GotoAsync("/");
        await page.FillAsync("#Input_Email", "owner@outfitters.test");
        await page.FillAsync("#Input_DisplayName", "Olivia Owner");
        await page.FillAsync("#NewPassword_Password", "correct horse battery staple");
        await page.FillAsync("#NewPassword_ConfirmPassword", "correct horse battery staple");
        await page.FillAsync("#Input_StoreName", "Outfitters");
        await page.FillAsync("#Input_ShopDomain", Shop);
        await page.SelectOptionAsync("#Input_TimeZone", "Africa/Abidjan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner account" }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(SetupUrl());

        // Shopify: consent at the fake, back to Settings → Integrations, the first sync runs and finishes.
        await page.GotoAsync("/settings/integrations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Shopify" }).ClickAsync();
        var shopifyCard = page.GetByTestId("integration-shopify");
        await Expect(shopifyCard.GetByTestId("integration-status")).ToHaveTextAsync("Connected");
        await Expect(shopifyCard.GetByTestId("sync-done")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // Meta: Facebook Login at the fake, the ad account chosen, the first sync runs and finishes.
        var metaCard = page.GetByTestId("integration-meta");
        await metaCard.GetByTestId("connect-meta").ClickAsync();
        await Expect(page.GetByTestId("choose-ad-account")).ToBeVisibleAsync();
        await page.GetByLabel(new Regex("Outfitters — US")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this ad account" }).ClickAsync();
        await Expect(metaCard.GetByTestId("integration-status")).ToHaveTextAsync("Connected");
        await Expect(metaCard.GetByTestId("sync-done")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // The overview (last 30 days, store time Africa/Abidjan, UTC all year) shows exactly what the fakes hold.
        await page.GotoAsync("/");
        var from = today.AddDays(-30);
        var to = today.AddDays(-1);
        var spend = fakes.Meta.Insights.Where(i => i.Date >= from && i.Date <= to).Sum(i => i.Spend);
        var orders = catalog.Orders.Count(o => !o.Test && o.CancelledAt is null
            && DateOnly.FromDateTime(o.CreatedAt.UtcDateTime) >= from && DateOnly.FromDateTime(o.CreatedAt.UtcDateTime) <= to);
        var usd = CultureInfo.GetCultureInfo("en-US");
        await Expect(page.Locator("[data-metric=\"adSpend\"] .kpi-value")).ToHaveTextAsync(spend.ToString("C2", usd));
        await Expect(page.Locator("[data-metric=\"orders\"] .kpi-value")).ToHaveTextAsync(orders.ToString("N0", usd));
        Assert.True(spend > 0 && orders > 0, "the fakes hold delivery and orders in the last 30 days");
    }

    [GeneratedRegex("/account/setup")]
    private static partial Regex SetupUrl();
}
