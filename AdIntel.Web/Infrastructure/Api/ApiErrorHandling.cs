using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AdIntel.Web.Infrastructure.Api;

/// <summary>
/// Turns every failure into the API's error envelope for /api and a friendly page for HTML; never a stack trace.
/// </summary>
public static class ApiErrorHandling
{
    public static bool IsApiRequest(this HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static WebApplication UseAdIntelErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, code, message) = Classify(exception);
            if (context.Request.IsApiRequest())
            {
                context.Response.StatusCode = status;
                await ApiResults.Error(status, code, message).ExecuteAsync(context);
                return;
            }
            context.Response.Redirect($"/Error?status={status}");
        }));

        // Empty 4xx answers (routing 404, 405, 413 from Kestrel limits...) get a body too.
        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var status = context.Response.StatusCode;
            if (context.Request.IsApiRequest())
            {
                var (code, message) = Describe(status);
                await ApiResults.Error(status, code, message).ExecuteAsync(context);
            }
            else if (status == StatusCodes.Status404NotFound && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect("/Error?status=404");
            }
        });
        return app;
    }

    /// <summary>
    /// A body the client got wrong (over the size limit: 413, broken framing: 400) surfaces as an exception while it is
    /// read. Answered with its own status here, inside the request log, it is logged as that status instead of as an
    /// unhandled 500; the status code pages add the body. Goes right after request logging.
    /// </summary>
    public static WebApplication UseClientErrorStatuses(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = bad.StatusCode;
            }
        });
        return app;
    }

    private static (int Status, string Code, string Message) Classify(Exception? exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "payload_too_large", "The request body is larger than this endpoint accepts."),
        BadHttpRequestException bad => (bad.StatusCode, "bad_request", "The request could not be read."),
        JsonException => (400, "bad_request", "The request body is not valid JSON."),
        InvalidDataException => (400, "bad_request", "The request body is malformed."),
        OperationCanceledException => (499, "cancelled", "The request was cancelled."),
        _ => (500, "internal_error", "Something went wrong on our side. It has been logged; please try again."),
    };

    public static (string Code, string Message) Describe(int status) => status switch
    {
        400 => ("bad_request", "The request is not valid."),
        401 => ("unauthorized", "Sign in or send a valid API token."),
        403 => ("forbidden", "Your role does not allow this."),
        404 => ("not_found", "Nothing exists at this address."),
        405 => ("method_not_allowed", "This address does not accept that method."),
        409 => ("conflict", "The request conflicts with the current state."),
        413 => ("payload_too_large", "The request body is larger than this endpoint accepts."),
        415 => ("unsupported_media_type", "The request body's content type is not accepted here."),
        422 => ("unprocessable", "The request is valid JSON but its meaning is not."),
        429 => ("rate_limited", "Too many requests; slow down and try again shortly."),
        _ => ("error", "The request failed."),
    };

    /// <summary>Kestrel's per-request body limit, raised or lowered per endpoint.</summary>
    public static void SetMaxRequestBodySize(this HttpContext context, long bytes)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = bytes;
        }
    }
}
