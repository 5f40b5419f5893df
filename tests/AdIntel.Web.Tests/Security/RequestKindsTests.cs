using AdIntel.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http;

namespace AdIntel.Web.Tests.Security;

/// <summary>Which limit a request counts against: webhooks from Shopify are not one API caller's traffic.</summary>
public sealed class RequestKindsTests
{
    [Theory]
    [InlineData("POST", "/api/webhooks/shopify", RequestKind.Webhook)]
    [InlineData("GET", "/api/overview", RequestKind.Api)]
    [InlineData("POST", "/api/rules", RequestKind.Api)]
    [InlineData("POST", "/api/import/shopify-orders", RequestKind.Upload)]
    [InlineData("POST", "/account/sign-in", RequestKind.CredentialForm)]
    [InlineData("GET", "/api/health/ready", RequestKind.Other)]
    [InlineData("GET", "/settings/integrations", RequestKind.Other)]
    public void Requests_count_against_their_own_limit(string method, string path, RequestKind expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;

        Assert.Equal(expected, RequestKinds.Classify(context.Request));
    }
}
