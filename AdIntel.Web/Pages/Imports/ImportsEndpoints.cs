using AdIntel.Web.Imports;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Pages.Imports;

/// <summary>
/// <c>POST /api/import/shopify-orders</c> and <c>POST /api/import/meta-ads</c>: multipart field <c>file</c>; the import
/// runs within the request and the response is its result (rows read, what was created, updated and skipped, and each bad line's error).
/// </summary>
public static class ImportsEndpoints
{
    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/import").RequireAuthorization(Policies.Marketer);
        group.MapPost("/shopify-orders", (HttpContext http, ImportRunner runner, IOptions<ImportOptions> options, IHostApplicationLifetime lifetime) =>
            ImportAsync(ImportKinds.ShopifyOrders, http, runner, options.Value, lifetime.ApplicationStopping));
        group.MapPost("/meta-ads", (HttpContext http, ImportRunner runner, IOptions<ImportOptions> options, IHostApplicationLifetime lifetime) =>
            ImportAsync(ImportKinds.MetaAds, http, runner, options.Value, lifetime.ApplicationStopping));
        return api;
    }

    /// <summary>
    /// Once the file is received, the import runs to its end even if the client stops waiting (a large file can outlast
    /// an HTTP client's timeout): stopping half way would leave orders written but the daily facts not rebuilt. The run
    /// and its result are recorded either way; only shutting the app down cancels it.
    /// </summary>
    private static async Task<IResult> ImportAsync(string kind, HttpContext http, ImportRunner runner, ImportOptions options,
        CancellationToken stopping)
    {
        var (upload, problem) = await CsvUploadReader.ReadAsync(http, options.MaxFileBytes, http.RequestAborted);
        if (problem is not null)
        {
            return ToError(problem);
        }
        var run = await runner.CreateRunAsync(kind, upload!.FileName, upload.Length, stopping);
        await using var stream = upload.OpenReadStream();
        var outcome = await runner.RunAsync(run.Id, stream, stopping);
        return outcome.Problem is { } refused ? ToError(refused) : ApiResults.Ok<object>(outcome.Result!);
    }

    private static IResult ToError(ImportProblem problem) => ApiResults.Error(problem.Status, problem.Code, problem.Message, problem.Details);
}
