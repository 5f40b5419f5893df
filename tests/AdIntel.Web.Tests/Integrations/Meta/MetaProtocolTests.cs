using AdIntel.Web.Integrations.Meta;

namespace AdIntel.Web.Tests.Integrations.Meta;

/// <summary>appsecret_proof, error classification and usage headers (docs/integrations.md#graph-api-calls, #errors-and-throttling).</summary>
public sealed class MetaProtocolTests
{
    [Fact]
    public void AppSecretProof_matches_the_vectors()
    {
        Assert.Equal("f3b80bd06fdbd04ee4cf67409d2e44ba3dab31d2b6baa0b162c7428c2703909b", MetaAppSecretProof.Compute("EAAtestTOKEN123", "appsecret123"));
        Assert.Equal("19aed0c74dea86230dc433f58b0dd92bfea7cc52627500d93de4967413a699fe", MetaAppSecretProof.Compute("EAAtestTOKEN123", "appsecret123", 1700000000));
        Assert.True(MetaAppSecretProof.IsValid("EAAtestTOKEN123", "appsecret123", "F3B80BD06FDBD04EE4CF67409D2E44BA3DAB31D2B6BAA0B162C7428C2703909B"));
        Assert.False(MetaAppSecretProof.IsValid("EAAtestTOKEN124", "appsecret123", "f3b80bd06fdbd04ee4cf67409d2e44ba3dab31d2b6baa0b162c7428c2703909b"));
        Assert.False(MetaAppSecretProof.IsValid("EAAtestTOKEN123", "appsecret123", null));
    }

    [Theory]
    [InlineData(400, """{"error":{"message":"(#80004) There have been too many calls to this ad-account.","type":"OAuthException","code":80004,"error_subcode":2446079,"is_transient":true,"fbtrace_id":"AbCdEf123"}}""", MetaErrorKind.Throttled, 80004, 2446079)]
    [InlineData(400, """{"error":{"message":"User request limit reached","type":"OAuthException","code":17,"error_subcode":2446079}}""", MetaErrorKind.Throttled, 17, 2446079)]
    [InlineData(400, """{"error":{"message":"Calls to this api have exceeded the rate limit.","code":613,"error_subcode":1487742}}""", MetaErrorKind.Throttled, 613, 1487742)]
    [InlineData(400, """{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}""", MetaErrorKind.InvalidToken, 190, 463)]
    [InlineData(403, """{"error":{"message":"(#200) Requires ads_management permission","type":"OAuthException","code":200}}""", MetaErrorKind.Permission, 200, null)]
    [InlineData(500, """{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1}}""", MetaErrorKind.Transient, 1, null)]
    [InlineData(400, """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":1504018}}""", MetaErrorKind.Permanent, 100, 1504018)]
    [InlineData(502, "<html>Bad Gateway</html>", MetaErrorKind.Transient, 0, null)]
    [InlineData(400, "{\"error\":", MetaErrorKind.Permanent, 0, null)]
    public void GraphError_parses_and_classifies_meta_errors(int status, string body, MetaErrorKind kind, int code, int? subcode)
    {
        var error = MetaGraphError.Parse(status, body);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.Code);
        Assert.Equal(subcode, error.Subcode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Usage_takes_the_highest_percentage_and_the_longest_wait_across_headers()
    {
        var usage = MetaUsage.Parse(
            """{"call_count":28,"total_time":25,"total_cputime":25}""",
            """{"acc_id_util_pct":9.67,"reset_time_duration":100,"ads_api_access_tier":"standard_access"}""",
            """{"123":[{"type":"ads_insights","call_count":3,"total_cputime":1,"total_time":2,"estimated_time_to_regain_access":0},{"type":"ads_management","call_count":100,"total_cputime":40,"total_time":12,"estimated_time_to_regain_access":7}]}""");

        Assert.Equal(100, usage.MaxPercent);
        Assert.Equal(TimeSpan.FromMinutes(7), usage.RegainAccessIn);
        Assert.True(usage.IsThrottled);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("not json", "[1]", "{\"123\":\"x\"}")]
    public void Usage_without_or_with_broken_headers_is_none(string? app, string? account, string? business)
    {
        var usage = MetaUsage.Parse(app, account, business);

        Assert.Equal(MetaUsage.None, usage);
        Assert.False(usage.IsThrottled);
    }
}
