using AdIntel.Web.Infrastructure.Api;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>The kinds of request that get their own rate limit or body limit, decided from method and path alone.</summary>
public enum RequestKind
{
    Other,
    /// <summary>Forms that take a password or a secret link: sign-in, setup, password reset, invitations.</summary>
    CredentialForm,
    /// <summary>CSV uploads (API and page); their endpoints apply the import size limit themselves.</summary>
    Upload,
    Api,
    /// <summary>
    /// Platform webhooks (HMAC-verified): Shopify sends bursts from few addresses, so they are not counted as one caller's
    /// API use; their endpoint limits them after checking the signature (<see cref="WebhookRateLimits"/>).
    /// </summary>
    Webhook,
}

public static class RequestKinds
{
    private static readonly string[] CredentialForms =
        ["/account/sign-in", "/account/setup", "/account/forgot-password", "/account/reset-password", "/account/accept-invitation"];

    public static RequestKind Classify(HttpRequest request)
    {
        var unsafeMethod = IsUnsafeMethod(request.Method);
        var path = request.Path;
        if (unsafeMethod && (path.StartsWithSegments("/api/import", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/imports", StringComparison.OrdinalIgnoreCase)))
        {
            return RequestKind.Upload;
        }
        if (unsafeMethod && Array.Exists(CredentialForms, form => path.StartsWithSegments(form, StringComparison.OrdinalIgnoreCase)))
        {
            return RequestKind.CredentialForm;
        }
        if (unsafeMethod && path.StartsWithSegments("/api/webhooks", StringComparison.OrdinalIgnoreCase))
        {
            return RequestKind.Webhook;
        }
        if (request.IsApiRequest() && !path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase))
        {
            return RequestKind.Api;
        }
        return RequestKind.Other;
    }

    public static bool IsUnsafeMethod(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
