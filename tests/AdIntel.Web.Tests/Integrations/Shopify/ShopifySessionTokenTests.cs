using System.Security.Cryptography;
using System.Text;
using AdIntel.Web.Integrations.Shopify;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>Session token validation against a computed vector, and tokens that must be refused.</summary>
public sealed class ShopifySessionTokenTests
{
    private const string Secret = "hush";
    private const string ClientId = "client-id-123";
    private const string Vector = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL3NvbWUtc2hvcC5teXNob3BpZnkuY29tL2FkbWluIiwiZGVzdCI6Imh0dHBzOi8vc29tZS1zaG9wLm15c2hvcGlmeS5jb20iLCJhdWQiOiJjbGllbnQtaWQtMTIzIiwic3ViIjoiNDIiLCJleHAiOjE3MDAwMDAwNjAsIm5iZiI6MTcwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJqdGkiOiJmODkxMjEyOS0xYWY2LTRjYWQtOWNhMy03NmIwZjc2MjEwODciLCJzaWQiOiJhYWVhMTgyZjI3MzJkNDRjMjMwNTdjMGZlYTU4NDAyMWE0NDg1YjJiZDI1ZDNlYjdmZDM0OTMxM2FkMjRjNjg1In0.zQPQD1arkny-HzPa6_TlSJT_Eva8vEXMZVdtC47sLR8";
    private static readonly DateTimeOffset IssuedAt = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    [Fact]
    public void Validate_accepts_the_vector_and_reads_shop_user_and_session()
    {
        var session = ShopifySessionToken.Validate(Vector, ClientId, Secret, IssuedAt.AddSeconds(30), out var problem);

        Assert.Null(problem);
        Assert.Equal(new ShopifySession("some-shop.myshopify.com", "42", "aaea182f2732d44c23057c0fea584021a4485b2bd25d3eb7fd349313ad24c685", IssuedAt.AddSeconds(60)), session);
    }

    [Theory]
    [InlineData(70, 71, "expired")]         // exp is issue + 60 s; 10 s of leeway
    [InlineData(-10, -11, "not valid yet")] // nbf is the issue time; 10 s of leeway
    public void Validate_allows_ten_seconds_of_clock_skew_and_no_more(int lastAccepted, int firstRefused, string reason)
    {
        Assert.NotNull(ShopifySessionToken.Validate(Vector, ClientId, Secret, IssuedAt.AddSeconds(lastAccepted), out _));
        Assert.Null(ShopifySessionToken.Validate(Vector, ClientId, Secret, IssuedAt.AddSeconds(firstRefused), out var problem));
        Assert.Equal(reason, problem);
    }

    [Theory]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""", """{"iss":"https://some-shop.myshopify.com/admin","dest":"https://some-shop.myshopify.com","aud":"another-app","exp":1700000060}""", "hush", "issued for another app")]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""", """{"iss":"https://some-shop.myshopify.com/admin","dest":"https://some-shop.myshopify.com","aud":"client-id-123","exp":1700000060}""", "wrong", "bad signature")]
    [InlineData("""{"alg":"none","typ":"JWT"}""", """{"iss":"https://some-shop.myshopify.com/admin","dest":"https://some-shop.myshopify.com","aud":"client-id-123","exp":1700000060}""", "hush", "algorithm is not HS256")]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""", """{"iss":"https://evil.myshopify.com/admin","dest":"https://some-shop.myshopify.com","aud":"client-id-123","exp":1700000060}""", "hush", "iss and dest differ")]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""", """{"iss":"https://evil.com/admin","dest":"https://evil.com","aud":"client-id-123","exp":1700000060}""", "hush", "dest is not a shop")]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""", """{"iss":"https://some-shop.myshopify.com/admin","dest":"https://some-shop.myshopify.com","aud":"client-id-123"}""", "hush", "expired")]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""", """[1,2]""", "hush", "claims are not an object")]
    public void Validate_refuses_forged_or_foreign_tokens(string header, string payload, string signingSecret, string reason)
    {
        var token = Sign(header, payload, signingSecret);

        Assert.Null(ShopifySessionToken.Validate(token, ClientId, Secret, IssuedAt.AddSeconds(30), out var problem));
        Assert.Equal(reason, problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!.??.**")]
    public void Validate_refuses_what_is_not_a_jwt(string? token)
    {
        Assert.Null(ShopifySessionToken.Validate(token, ClientId, Secret, IssuedAt, out var problem));
        Assert.NotNull(problem);
    }

    private static string Sign(string header, string payload, string secret)
    {
        var signed = Base64Url(Encoding.UTF8.GetBytes(header)) + "." + Base64Url(Encoding.UTF8.GetBytes(payload));
        return signed + "." + Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
