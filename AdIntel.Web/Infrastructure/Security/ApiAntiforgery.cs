using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// The API accepts two kinds of caller. A Bearer token is sent deliberately by a script, so it needs nothing more.
/// A browser session (cookie, or the demo session) is sent by the browser on its own, so a state-changing API call
/// riding on it must carry the antiforgery header like any form post (htmx adds it) — otherwise another site could
/// make a signed-in browser change things. Anonymous endpoints (health, HMAC-checked webhooks) use no session.
/// Only the header is accepted here, so an upload's body is never read just to look for a form field.
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
                var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
                var headerName = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.HeaderName;
                if (headerName is null || !context.Request.Headers.ContainsKey(headerName) || !await antiforgery.IsRequestValidAsync(context))
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
}
