using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Imports;

/// <summary>How an import ended: its result (also for a failure, when lines were read) or why the file was refused.</summary>
public sealed record ImportOutcome(long RunId, ImportResult? Result, ImportProblem? Problem);

/// <summary>
/// Runs one import of the current store end to end: records it as an <see cref="ImportRun"/> (status, progress, result),
/// runs the importer of its kind, rebuilds the daily facts when data changed so the overview shows it, and decides
/// whether the file counts as imported. The API runs it within the request; the page through <see cref="ImportQueue"/>.
/// </summary>
public sealed class ImportRunner(AdIntelDbContext db, ShopifyOrdersCsvImporter shopifyOrders, MetaAdsCsvImporter metaAds,
    DailyFactsBuilder dailyFacts, TimeProvider time, ILogger<ImportRunner> logger)
{
    private const int MaxFileNameLength = 200;

    public async Task<ImportRun> CreateRunAsync(string kind, string fileName, long fileBytes, CancellationToken cancellationToken)
    {
        if (!ImportKinds.IsKnown(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown import kind.");
        }
        var name = Path.GetFileName(fileName);
        var run = new ImportRun
        {
            Kind = kind,
            FileName = name.Length <= MaxFileNameLength ? name : name[..MaxFileNameLength],
            FileBytes = fileBytes,
            Status = ImportRunStatuses.Queued,
            StartedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.ImportRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(run).State = EntityState.Detached;
        return run;
    }

    /// <summary>
    /// Imports <paramref name="csv"/> (seekable) for the run. File-level problems and the "nothing could be imported"
    /// verdict come back as <see cref="ImportOutcome.Problem"/>; a bug still throws, after the run is marked failed.
    /// </summary>
    public async Task<ImportOutcome> RunAsync(long runId, Stream csv, CancellationToken cancellationToken)
    {
        var run = await db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        await db.ImportRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, ImportRunStatuses.Running)
            .SetProperty(r => r.StartedAtUtc, time.GetUtcNow().UtcDateTime), cancellationToken);
        var progress = new RunProgress(db, runId, time);
        try
        {
            ImportResult result = run.Kind switch
            {
                ImportKinds.ShopifyOrders => await shopifyOrders.ImportAsync(csv, run.FileBytes, run.FileName, progress, cancellationToken),
                ImportKinds.MetaAds => await metaAds.ImportAsync(csv, run.FileBytes, run.FileName, progress, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown import kind {run.Kind}."),
            };
            if (result.ChangedData)
            {
                await dailyFacts.RebuildAsync(cancellationToken);
            }
            var problem = Judge(result);
            var json = problem is null ? Serialize(result) : SerializeError(problem);
            await FinishAsync(runId, problem is null ? ImportRunStatuses.Succeeded : ImportRunStatuses.Failed, result.RowsRead, json, CancellationToken.None);
            return new ImportOutcome(runId, result, problem);
        }
        catch (ImportProblemException e)
        {
            var problem = e.ToProblem();
            await FinishAsync(runId, ImportRunStatuses.Failed, 0, SerializeError(problem), CancellationToken.None);
            return new ImportOutcome(runId, null, problem);
        }
        catch (OperationCanceledException)
        {
            var problem = new ImportProblem(499, "cancelled", "The import was cancelled before it finished. Importing the file again is safe.");
            await FinishAsync(runId, ImportRunStatuses.Failed, 0, SerializeError(problem), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import run {RunId} ({Kind}) failed", runId, run.Kind);
            var problem = new ImportProblem(500, "internal_error",
                "The import stopped because of an error on our side; it has been logged. Importing the file again is safe.");
            await FinishAsync(runId, ImportRunStatuses.Failed, 0, SerializeError(problem), CancellationToken.None);
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

    private async Task FinishAsync(long runId, string status, int rowsRead, string json, CancellationToken cancellationToken)
    {
        var finishedAt = time.GetUtcNow().UtcDateTime;
        await db.ImportRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.ProgressPercent, 100)
            .SetProperty(r => r.RowsRead, r => rowsRead > 0 ? rowsRead : r.RowsRead)
            .SetProperty(r => r.ResultJson, json)
            .SetProperty(r => r.FinishedAtUtc, finishedAt), cancellationToken);
    }

    private static string Serialize(ImportResult result) => JsonSerializer.Serialize(result, result.GetType(), JsonSerializerOptions.Web);

    /// <summary>The same shape as the API's error envelope, so the page and the API say the same.</summary>
    private static string SerializeError(ImportProblem problem) =>
        JsonSerializer.Serialize(new { error = new { code = problem.Code, message = problem.Message, details = problem.Details } }, JsonSerializerOptions.Web);

    /// <summary>Writes progress to the run at most twice a second, outside the importer's transactions.</summary>
    private sealed class RunProgress(AdIntelDbContext db, long runId, TimeProvider time) : IImportProgress
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
            // Status too: another instance starting meanwhile marks every running import interrupted; this one is alive.
            await db.ImportRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, ImportRunStatuses.Running)
                .SetProperty(r => r.RowsRead, progress.RowsRead)
                .SetProperty(r => r.ProgressPercent, Math.Min(progress.Percent, 99)), cancellationToken);
        }
    }
}
