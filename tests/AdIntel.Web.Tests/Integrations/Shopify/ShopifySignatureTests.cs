using System.Text;
using AdIntel.Web.Integrations.Shopify;
using Microsoft.AspNetCore.WebUtilities;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>Shopify's HMAC schemes against Shopify's documented vectors and computed ones.</summary>
public sealed class ShopifySignatureTests
{
    private const string Secret = "hush";
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1337178173);

    private static List<KeyValuePair<string, string>> Query(string query) =>
        QueryHelpers.ParseQuery(query).Select(p => KeyValuePair.Create(p.Key, p.Value.ToString())).ToList();

    [Theory]
    // Shopify's documented vector, and its older variant without state.
    [InlineData("code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173")]
    [InlineData("code=0907a61c0c8d55e99db179b68161bc00&hmac=4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20&shop=some-shop.myshopify.com&timestamp=1337178173")]
    // The modern callback shape with host, in another order (the message is sorted).
    [InlineData("timestamp=1337178173&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvc29tZS1zaG9w&shop=some-shop.myshopify.com&state=0.6784241404160823&code=0907a61c0c8d55e99db179b68161bc00&hmac=9fe3d5ea81959305fd96bd3d2d44e878654e753bc8e455b5369c15a009412163")]
    public void IsValidQuery_accepts_the_documented_vectors(string query)
    {
        Assert.True(ShopifySignatures.IsValidQuery(Query(query), Secret, SignedAt.AddSeconds(30)));
    }

    [Fact]
    public void QueryMessage_is_the_documented_message()
    {
        var query = Query("code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173");
        Assert.Equal("code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173", ShopifySignatures.QueryMessage(query));
    }

    [Theory]
    [InlineData("shop=evil.myshopify.com", 0)]         // a changed parameter
    [InlineData("", 91)]                               // outside the 90 s window
    [InlineData("", -91)]                              // from the future
    [InlineData("hmac=", 0)]                           // no signature
    public void IsValidQuery_refuses_tampered_stale_or_unsigned_queries(string change, int secondsLater)
    {
        var query = Query("code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173");
        if (change.Length > 0)
        {
            var (key, value) = (change.Split('=')[0], change.Split('=')[1]);
            query.RemoveAll(p => p.Key == key);
            query.Add(KeyValuePair.Create(key, value));
        }
        Assert.False(ShopifySignatures.IsValidQuery(query, Secret, SignedAt.AddSeconds(secondsLater)));
        Assert.False(ShopifySignatures.IsValidQuery(Query("code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173"), "another secret", SignedAt));
    }

    [Fact]
    public void Webhook_hmac_matches_the_vector_and_refuses_any_other_body_or_header()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":820982911946154508,"email":"jon@example.com","total_price":"403.00"}""");
        const string header = "U1ccMjH2FYDvXHngNSLFAi0QhStcm696l5sTvIkdLr8=";

        Assert.Equal(header, ShopifySignatures.SignWebhook(body, Secret));
        Assert.True(ShopifySignatures.IsValidWebhook(body, header, Secret));
        Assert.False(ShopifySignatures.IsValidWebhook(Encoding.UTF8.GetBytes("""{"id":820982911946154508,"email":"jon@example.com","total_price":"0.00"}"""), header, Secret));
        Assert.False(ShopifySignatures.IsValidWebhook(body, header, "other"));
        Assert.False(ShopifySignatures.IsValidWebhook(body, null, Secret));
        Assert.False(ShopifySignatures.IsValidWebhook(body, "not base64!", Secret));
        Assert.False(ShopifySignatures.IsValidWebhook(body, Convert.ToBase64String(new byte[31]), Secret));
    }

    [Theory]
    [InlineData("some-shop.myshopify.com", "some-shop.myshopify.com")]
    [InlineData("https://Some-Shop.myshopify.com/", "some-shop.myshopify.com")]
    [InlineData("admin.shopify.com/store/some-shop", "some-shop.myshopify.com")]
    [InlineData("evil.com", null)]
    [InlineData("some-shop.myshopify.com.evil.com", null)]
    [InlineData("some-shop.myshopify.com/../evil", null)]
    [InlineData("user@some-shop.myshopify.com", null)]
    [InlineData(".myshopify.com", null)]
    [InlineData("", null)]
    public void ShopDomain_accepts_only_permanent_shop_domains(string input, string? expected)
    {
        Assert.Equal(expected is not null, ShopDomain.TryNormalize(input, out var shop));
        Assert.Equal(expected, shop);
    }
}
