using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// The API accepts two kinds of caller. A Bearer token is sent deliberately by a script, so it needs nothing more.
/// A browser session cookie is sent by the browser on its own, so a state-changing API call riding on it must carry
/// the antiforgery header like any form post (htmx adds it) — otherwise another site could make a signed-in browser
/// change things. Only the header is accepted, so an upload's body is never read just to look for a form field.
/// The demo session has no credential at all (scripts may call it bare, as the README shows); there a write is
/// refused when the browser reports it as coming from another site. Anonymous endpoints (health, HMAC-checked
/// webhooks) use no session.
/// </summary>
public static class ApiAntiforgery
{
    public static WebApplication UseApiAntiforgery(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.IsApiRequest() && RequestKinds.IsUnsafeMethod(context.Request.Method)
                && context.User.Identity?.IsAuthenticated == true && !context.User.IsApiToken()
                && context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
            {
                var demoSession = context.User.Identity.AuthenticationType == DemoAuthenticationHandler.SchemeName;
                if (demoSession ? IsCrossSite(context.Request) : !await HasValidHeaderAsync(context))
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await ApiResults.Error(StatusCodes.Status400BadRequest, "antiforgery_token_invalid",
                        "A browser session must send the antiforgery token (header RequestVerificationToken) with this request; scripts should use an API token instead.")
                        .ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    private static async Task<bool> HasValidHeaderAsync(HttpContext context)
    {
        var headerName = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.HeaderName;
        return headerName is not null && context.Request.Headers.ContainsKey(headerName)
            && await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
    }

    /// <summary>What browsers say about a request's origin (Fetch Metadata, else Origin); scripts say nothing.</summary>
    private static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
