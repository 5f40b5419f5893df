using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// Every request body outside uploads is capped at Security:MaxRequestBodyKilobytes: a declared Content-Length over
/// the cap is refused before a byte is read; a chunked body is cut off by the server at the same cap. Uploads keep
/// the server default here because their endpoints apply the import limit themselves (Import:MaxFileMegabytes).
/// </summary>
public static class RequestBodyLimit
{
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (RequestKinds.Classify(context.Request) != RequestKind.Upload)
            {
                var limit = context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.MaxRequestBodyBytes;
                if (context.Request.ContentLength > limit)
                {
                    await RefuseAsync(context);
                    return;
                }
                context.SetMaxRequestBodySize(limit);
            }
            await next(context);
        });
        return app;
    }

    private static async Task RefuseAsync(HttpContext context)
    {
        const int status = StatusCodes.Status413PayloadTooLarge;
        context.Response.StatusCode = status;
        if (context.Request.IsApiRequest())
        {
            var (code, message) = ApiErrorHandling.Describe(status);
            await ApiResults.Error(status, code, message).ExecuteAsync(context);
        }
        else
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The request is larger than this page accepts.", context.RequestAborted);
        }
    }
}
