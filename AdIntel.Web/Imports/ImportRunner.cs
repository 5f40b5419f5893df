using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Imports;

/// <summary>
/// The body of <see cref="ImportJob"/>: runs one queued import of the current store end to end. It claims the run, reads
/// its stored upload with the importer of its kind, rebuilds the daily facts when data changed so the overview shows it,
/// decides whether the file counts as imported, and records all of it through <see cref="ImportRunRecorder"/> (progress,
/// heartbeat, result); the upload is deleted once the run has ended.
/// </summary>
public sealed class ImportRunner(AdIntelDbContext db, ImportRunRecorder recorder, ImportUploads uploads, ShopifyOrdersCsvImporter shopifyOrders,
    MetaAdsCsvImporter metaAds, ProductCostsCsvImporter productCosts, DailyFactsBuilder dailyFacts, ImportRunEndings endings, TimeProvider time,
    ILogger<ImportRunner> logger)
{
    public const string UploadMissingMessage =
        "The uploaded file is no longer stored (it is deleted when an import is interrupted). Upload the file again.";

    /// <summary>
    /// Imports run <paramref name="runId"/>. File-level problems and the "nothing could be imported" verdict are recorded
    /// as a failed run; a bug still throws, after the run is marked failed.
    /// </summary>
    public async Task RunAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await db.ImportRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            logger.LogWarning("Import run {RunId} no longer exists (its store was deleted)", runId);
            return;
        }
        if (!await recorder.ClaimAsync(runId, cancellationToken))
        {
            // Delivered twice, or settled before it started (interrupted at a restart): what ended is not run again.
            logger.LogWarning("Import run {RunId} is {Status}, not queued; it is not run again", runId, run.Status);
            return;
        }
        try
        {
            await using (recorder.KeepAlive(runId))
            {
                await ImportAsync(run, cancellationToken);
            }
        }
        finally
        {
            await uploads.DeleteAsync(run.UploadName, CancellationToken.None);
        }
    }

    private async Task ImportAsync(ImportRun run, CancellationToken cancellationToken)
    {
        var progress = new RunProgress(recorder, run.Id, time);
        try
        {
            await using var csv = await uploads.OpenAsync(run.UploadName, cancellationToken)
                ?? throw new ImportProblemException(503, "upload_missing", UploadMissingMessage);
            ImportResult result = run.Kind switch
            {
                ImportKinds.ShopifyOrders => await shopifyOrders.ImportAsync(csv, run.FileBytes, run.FileName, progress, cancellationToken),
                ImportKinds.MetaAds => await metaAds.ImportAsync(csv, run.FileBytes, run.FileName, progress, cancellationToken),
                ImportKinds.ProductCosts => await productCosts.ImportAsync(csv, run.FileBytes, run.FileName, progress, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown import kind {run.Kind}."),
            };
            if (result.ChangedData)
            {
                await dailyFacts.RebuildAsync(cancellationToken);
            }
            var problem = Judge(result);
            await FinishAsync(run.Id, problem is null ? RunStatuses.Succeeded : RunStatuses.Failed, result.RowsRead,
                problem is null ? ImportResults.Of(result) : ImportResults.Error(problem));
        }
        catch (ImportProblemException e)
        {
            await FinishAsync(run.Id, RunStatuses.Failed, 0, ImportResults.Error(e.ToProblem()));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var problem = new ImportProblem(499, "cancelled", "The import was cancelled before it finished. Importing the file again is safe.");
            await FinishAsync(run.Id, RunStatuses.Cancelled, 0, ImportResults.Error(problem));
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import run {RunId} ({Kind}) failed", run.Id, run.Kind);
            var problem = new ImportProblem(500, "internal_error",
                "The import stopped because of an error on our side; it has been logged. Importing the file again is safe.");
            await FinishAsync(run.Id, RunStatuses.Failed, 0, ImportResults.Error(problem));
            throw;
        }
    }

    /// <summary>A file of which not a single row could be used is refused as a whole, with the line errors as details.</summary>
    private static ImportProblem? Judge(ImportResult result)
    {
        if (result.RowsRead == 0 && result.Errors.Count == 0)
        {
            return new ImportProblem(422, "no_rows", "The file has a header but no rows to import.");
        }
        if (result.RowsAccepted <= 0 && result.Errors.Count > 0)
        {
            return new ImportProblem(422, "nothing_imported",
                $"None of the file's rows could be imported; the first problem is on line {result.Errors[0].Line}: {result.Errors[0].Message}", result);
        }
        return null;
    }

    private async Task FinishAsync(long runId, string status, int rowsRead, string json)
    {
        await recorder.FinishAsync(runId, status, set => set
            .SetProperty(r => r.ProgressPercent, 100)
            .SetProperty(r => r.RowsRead, r => rowsRead > 0 ? rowsRead : r.RowsRead)
            .SetProperty(r => r.ResultJson, json)
            .SetProperty(r => r.UploadName, (string?)null));
        endings.Ended(runId);
    }

    /// <summary>Writes progress to the run at most twice a second, outside the importer's transactions.</summary>
    private sealed class RunProgress(ImportRunRecorder recorder, long runId, TimeProvider time) : IImportProgress
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
        private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

        public async ValueTask ReportAsync(ImportProgress progress, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            if (now - _lastWrite < Interval && progress.Percent < 100)
            {
                return;
            }
            _lastWrite = now;
            await recorder.ReportAsync(runId, set => set
                .SetProperty(r => r.RowsRead, progress.RowsRead)
                .SetProperty(r => r.ProgressPercent, Math.Min(progress.Percent, 99)), cancellationToken);
        }
    }
}
