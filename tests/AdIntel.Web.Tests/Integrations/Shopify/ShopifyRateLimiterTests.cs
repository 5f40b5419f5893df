using System.Text.Json;
using AdIntel.Web.Integrations.Shopify;
using Microsoft.Extensions.Time.Testing;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>The client's picture of a shop's query-cost bucket and how long it waits before a call.</summary>
public sealed class ShopifyRateLimiterTests
{
    private const string Shop = "pacing.myshopify.com";
    private const string OrdersPage = "query Orders { orders(first: 5) { nodes { id } } }";
    private const string Customers = "query Customers { customers(first: 250) { nodes { id } } }";

    private static JsonElement Cost(int requested, double available) => JsonDocument.Parse(
        $$$"""{"requestedQueryCost":{{{requested}}},"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":{{{available}}},"restoreRate":50.0}}""")
        .RootElement;

    [Fact]
    public void A_query_waits_until_the_bucket_refills_to_what_it_was_charged_last_time()
    {
        var time = new FakeTimeProvider();
        var limiter = new ShopifyRateLimiter(time);
        limiter.Observe(Shop, OrdersPage, Cost(requested: 400, available: 200));

        // 201 points short (the cost plus one, against rounding) at 50 points a second.
        Assert.Equal(TimeSpan.FromSeconds(201 / 50.0), limiter.TimeUntilAffordable(Shop, OrdersPage));
        time.Advance(TimeSpan.FromSeconds(4.1));
        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAffordable(Shop, OrdersPage));
    }

    [Fact]
    public void A_query_not_charged_yet_waits_for_a_full_bucket_since_it_could_cost_all_of_it()
    {
        var time = new FakeTimeProvider();
        var limiter = new ShopifyRateLimiter(time);
        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAffordable(Shop, Customers));

        limiter.Observe(Shop, OrdersPage, Cost(requested: 400, available: 990));
        Assert.Equal(TimeSpan.FromSeconds(10 / 50.0), limiter.TimeUntilAffordable(Shop, Customers));
        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAffordable(Shop, OrdersPage));
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAffordable(Shop, Customers));
        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAffordable("another.myshopify.com", Customers));
    }
}
