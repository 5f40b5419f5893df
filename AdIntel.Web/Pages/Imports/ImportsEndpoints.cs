using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Imports;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Pages.Imports;

/// <summary>
/// <c>POST /api/import/shopify-orders</c>, <c>POST /api/import/meta-ads</c> and <c>POST /api/import/product-costs</c>: multipart field <c>file</c>. The import
/// runs as the same Hangfire job the Imports page starts; the request waits for it and answers with its result (rows
/// read, what was created, updated and skipped, and each bad line's error).
/// </summary>
public static class ImportsEndpoints
{
    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/import").RequireAuthorization(Policies.Marketer);
        group.MapPost("/shopify-orders", (HttpContext http, ImportJobs jobs, IOptions<ImportOptions> options, IHostApplicationLifetime lifetime) =>
            ImportAsync(ImportKinds.ShopifyOrders, http, jobs, options.Value, lifetime.ApplicationStopping));
        group.MapPost("/meta-ads", (HttpContext http, ImportJobs jobs, IOptions<ImportOptions> options, IHostApplicationLifetime lifetime) =>
            ImportAsync(ImportKinds.MetaAds, http, jobs, options.Value, lifetime.ApplicationStopping));
        group.MapPost("/product-costs", (HttpContext http, ImportJobs jobs, IOptions<ImportOptions> options, IHostApplicationLifetime lifetime) =>
            ImportAsync(ImportKinds.ProductCosts, http, jobs, options.Value, lifetime.ApplicationStopping));
        return api;
    }

    /// <summary>
    /// Once the file is received, the import runs to its end even if the client stops waiting (a large file can outlast
    /// an HTTP client's timeout): stopping half way would leave orders written but the daily facts not rebuilt. After
    /// <see cref="ImportOptions.ApiWaitMinutes"/> the answer is 202 with the run's id; the result then shows on the Imports page.
    /// </summary>
    private static async Task<IResult> ImportAsync(string kind, HttpContext http, ImportJobs jobs, ImportOptions options, CancellationToken stopping)
    {
        var (upload, problem) = await CsvUploadReader.ReadAsync(http, options.MaxFileBytes, http.RequestAborted);
        if (problem is not null)
        {
            return ApiResults.Error(problem.Status, problem.Code, problem.Message, problem.Details);
        }
        var queued = await jobs.EnqueueAsync(kind, upload!, stopping);
        var run = await jobs.WaitAsync(queued.Id, TimeSpan.FromMinutes(options.ApiWaitMinutes), http.RequestAborted);
        return Answer(run, options);
    }

    private static IResult Answer(ImportRun run, ImportOptions options)
    {
        if (!RunStatuses.IsFinished(run.Status))
        {
            return ApiResults.Accepted($"/imports?run={run.Id}", new
            {
                runId = run.Id,
                status = run.Status,
                message = $"The import is still running after {options.ApiWaitMinutes} minutes; it goes on in the background and its result will show on the Imports page.",
            });
        }
        using var result = JsonDocument.Parse(run.ResultJson);
        var root = result.RootElement;
        if (run.Status == RunStatuses.Succeeded)
        {
            return ApiResults.Ok(root.Clone());
        }
        var error = root.GetProperty("error");
        return ApiResults.Error(
            root.TryGetProperty("status", out var status) ? status.GetInt32() : StatusCodes.Status422UnprocessableEntity,
            error.GetProperty("code").GetString()!,
            error.GetProperty("message").GetString()!,
            error.TryGetProperty("details", out var details) && details.ValueKind != JsonValueKind.Null ? details.Clone() : null);
    }
}
