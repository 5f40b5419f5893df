using AdIntel.Web.Imports;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Metrics;
using Htmx;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Pages.Imports;

/// <summary>
/// Upload a Shopify orders export or a Meta ads export. The upload is stored and imported by a Hangfire job (the same
/// one the API waits for, <see cref="ImportJobs"/>); the page polls the run's progress and then shows its counts and line errors. Antiforgery is validated by the upload handlers
/// themselves: the automatic filter would read the form under the default body limit before the import's larger limit
/// could be applied.
/// </summary>
[Authorize(Policy = Policies.Marketer)]
[IgnoreAntiforgeryToken]
public sealed class IndexModel(AdIntelDbContext db, ImportJobs importJobs, IAntiforgery antiforgery, StoreClock clock,
    IOptions<ImportOptions> options) : PageModel
{
    private const int HistorySize = 20;

    public IReadOnlyList<ImportRunView> History { get; private set; } = [];
    /// <summary>The run to show under its form (after an upload without JavaScript, or from a history link).</summary>
    public ImportRunView? Selected { get; private set; }
    public UploadRefusal? Refusal { get; private set; }
    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;
    public int MaxFileMegabytes => options.Value.MaxFileMegabytes;

    public async Task OnGetAsync(long? run, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (run is { } id)
        {
            Selected = await FindRunAsync(id, cancellationToken);
        }
    }

    // The upload handlers take no parameters: binding any would make MVC read the whole form under the default limits
    // before CsvUploadReader can apply the import's.
    public Task<IActionResult> OnPostShopifyOrdersAsync() => UploadAsync(ImportKinds.ShopifyOrders, HttpContext.RequestAborted);

    public Task<IActionResult> OnPostMetaAdsAsync() => UploadAsync(ImportKinds.MetaAds, HttpContext.RequestAborted);

    public Task<IActionResult> OnPostProductCostsAsync() => UploadAsync(ImportKinds.ProductCosts, HttpContext.RequestAborted);

    /// <summary>The upload handler (and help partial) of an import kind.</summary>
    public static string Handler(string kind) => kind switch
    {
        ImportKinds.ShopifyOrders => "ShopifyOrders",
        ImportKinds.MetaAds => "MetaAds",
        _ => "ProductCosts",
    };

    /// <summary>The progress (then result) of one run; polled by the progress partial until the run finishes.</summary>
    public async Task<IActionResult> OnGetRunAsync(long id, CancellationToken cancellationToken)
    {
        var run = await FindRunAsync(id, cancellationToken);
        if (run is null)
        {
            return NotFound();
        }
        TimeZone = (await clock.GetCalendarAsync(cancellationToken)).TimeZone;
        // A finished run swapped in by htmx refreshes the history table too, so the answer varies by HX-Request.
        Response.Htmx(headers => headers.WithVary());
        var history = run.IsFinished && Request.IsHtmxFragmentRequest() ? await LoadHistoryAsync(cancellationToken) : null;
        return Partial("_ImportProgress", new ImportProgressModel(run, history, TimeZone));
    }

    private async Task<IActionResult> UploadAsync(string kind, CancellationToken cancellationToken)
    {
        var (upload, problem) = await CsvUploadReader.ReadAsync(HttpContext, options.Value.MaxFileBytes, cancellationToken);
        if (problem is null && !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            problem = new ImportProblem(400, "antiforgery", "This form has expired. Reload the page and upload the file again.");
        }
        if (problem is not null)
        {
            return await RefuseAsync(kind, problem, cancellationToken);
        }

        var run = await importJobs.EnqueueAsync(kind, upload!, cancellationToken);

        if (!Request.IsHtmxFragmentRequest())
        {
            return RedirectToPage(new { run = run.Id });
        }
        TimeZone = (await clock.GetCalendarAsync(cancellationToken)).TimeZone;
        var view = ImportRunView.From(run);
        return Partial("_ImportProgress", new ImportProgressModel(view, null, TimeZone));
    }

    /// <summary>htmx swaps only successful responses, so it gets the message with 200; a plain form post gets the page and the real status.</summary>
    private async Task<IActionResult> RefuseAsync(string kind, ImportProblem problem, CancellationToken cancellationToken)
    {
        Refusal = new UploadRefusal(kind, problem.Message);
        if (Request.IsHtmxFragmentRequest())
        {
            return Partial("_UploadRefusal", Refusal);
        }
        await LoadAsync(cancellationToken);
        Response.StatusCode = problem.Status;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        TimeZone = (await clock.GetCalendarAsync(cancellationToken)).TimeZone;
        History = await LoadHistoryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<ImportRunView>> LoadHistoryAsync(CancellationToken cancellationToken)
    {
        var runs = await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.Id)
            .Take(HistorySize).ToListAsync(cancellationToken);
        return runs.Select(ImportRunView.From).ToList();
    }

    private async Task<ImportRunView?> FindRunAsync(long id, CancellationToken cancellationToken)
    {
        var run = await db.ImportRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? null : ImportRunView.From(run);
    }

    public string RunUrl(long id) => Url.Page("/Imports/Index", "Run", new { id })!;
}

/// <summary>Why an upload was not accepted, shown next to the form it came from.</summary>
public sealed record UploadRefusal(string Kind, string Message);
