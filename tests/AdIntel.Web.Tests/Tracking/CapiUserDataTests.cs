using AdIntel.Web.Integrations.Meta.Capi;

namespace AdIntel.Web.Tests.Tracking;

/// <summary>Conversions API user data: Meta's normalisation rules and the published SHA-256 vectors.</summary>
public sealed class CapiUserDataTests
{
    [Theory]
    [InlineData("em", " John_Smith@Gmail.com ", "john_smith@gmail.com", "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f")]
    [InlineData("ph", "+1 (650) 555-1212", "16505551212", "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176")]
    [InlineData("zp", "94025-1234", "94025", "b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7")]
    [InlineData("ct", "Menlo Park", "menlopark", "0007a3d64c01e23d5075203c5977c14e4f7e01a3fc570686fcc50b5e1dd42685")]
    [InlineData("st", "CA", "ca", "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126")]
    [InlineData("country", "US", "us", "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621")]
    [InlineData("fn", "John", "john", "96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a")]
    [InlineData("ln", "Smith", "smith", "6627835f988e2c5e50533d491163072d3f4f41f5c8b04630150debb3722ca2dd")]
    [InlineData("ge", "m", "m", "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a")]
    [InlineData("db", "19900115", "19900115", "4747c382bedef489a190a6797e6f4451907b86511bdd49cfa8f9d4c1a78d8bac")]
    [InlineData("em", "joe@eg.com", "joe@eg.com", "8830eedd6c6b5ea97d181563a349476ca1bb25ace1f94b5c5e48d9cad727941b")]
    public void Values_are_normalised_and_hashed_as_meta_specifies(string key, string raw, string normalized, string hash)
    {
        Assert.Equal(normalized, CapiUserData.Normalize(key, raw));
        Assert.Equal(hash, CapiUserData.Hash(key, raw));
    }

    [Theory]
    [InlineData("ph", "00 44 20 7946 0958", "442079460958")]   // up to two leading zeros of the international prefix go
    [InlineData("ph", "+49-(0)30-1234567", "490301234567")]
    [InlineData("zp", " 10115 ", "10115")]
    [InlineData("ct", "St. Louis 2", "stlouis")]
    [InlineData("country", " u.s ", "us")]
    [InlineData("fn", "  ÉMILE ", "émile")]
    public void Edge_cases_follow_the_same_rules(string key, string raw, string normalized) =>
        Assert.Equal(normalized, CapiUserData.Normalize(key, raw));

    [Theory]
    [InlineData("em", "not-an-email")]
    [InlineData("ph", "12-34")]
    [InlineData("ge", "male")]
    [InlineData("db", "1990-01-15")]
    [InlineData("country", "USA")]
    public void Values_that_cannot_be_normalised_are_refused(string key, string raw) => Assert.Null(CapiUserData.Hash(key, raw));

    [Fact]
    public void Digests_pass_through_and_unhashed_keys_are_sent_as_given()
    {
        const string digest = "62A14E44F765419D10FEA99367361A727C12365E2520F32218D505ED9AA0F62F";
        var user = CapiUserData.Build(new Dictionary<string, string?>
        {
            ["em"] = digest, ["ph"] = "+1 (650) 555-1212", ["client_ip_address"] = "203.0.113.10", ["fbp"] = "fb.1.1558571054389.1098115397",
            ["ge"] = "x", ["fn"] = null,
        }, out var rejected);

        Assert.Equal(digest.ToLowerInvariant(), user["em"]![0]!.GetValue<string>());
        Assert.Equal("e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176", user["ph"]![0]!.GetValue<string>());
        Assert.Equal("203.0.113.10", user["client_ip_address"]!.GetValue<string>());
        Assert.Equal("fb.1.1558571054389.1098115397", user["fbp"]!.GetValue<string>());
        Assert.Equal(["ge"], rejected);
        Assert.False(user.ContainsKey("fn"));
    }
}
