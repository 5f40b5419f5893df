using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Imports;

/// <summary>Records import runs (<see cref="RunRecorder{TRun}"/>); an interrupted one loses its upload and says to import the file again.</summary>
public sealed class ImportRunRecorder(AdIntelDbContext db, ImportUploads uploads, IServiceScopeFactory scopes, IOptions<JobsOptions> options,
    TimeProvider time, ILogger<ImportRunRecorder> logger) : RunRecorder<ImportRun>(db, scopes, options, time, logger)
{
    public const string InterruptedMessage =
        "The app stopped before this import finished; the rows it had written are kept. Import the file again to complete it: rows already imported are not duplicated.";

    private static readonly string InterruptedResult = ImportResults.Error(new ImportProblem(503, "interrupted", InterruptedMessage));

    public override string Name => "imports";

    protected override void DescribeInterruption(UpdateSettersBuilder<ImportRun> set) => set.SetProperty(r => r.ResultJson, InterruptedResult);

    protected override async Task OnInterruptedAsync(IReadOnlyList<long> runIds, CancellationToken cancellationToken)
    {
        var names = await Db.ImportRuns.IgnoreQueryFilters().Where(r => runIds.Contains(r.Id) && r.UploadName != null)
            .Select(r => r.UploadName!).ToListAsync(cancellationToken);
        await uploads.DeleteAsync(names, cancellationToken);
        await Db.ImportRuns.IgnoreQueryFilters().Where(r => runIds.Contains(r.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.UploadName, (string?)null), cancellationToken);
    }

    public override async Task<int> InterruptAsync(bool everyUnfinished, CancellationToken cancellationToken)
    {
        var interrupted = await base.InterruptAsync(everyUnfinished, cancellationToken);
        await uploads.DeleteAbandonedAsync(cancellationToken);
        return interrupted;
    }
}

/// <summary>What an import run stores as its result (<see cref="ImportRun.ResultJson"/>), for the page and the API alike.</summary>
public static class ImportResults
{
    /// <summary>The result a successful import answers with.</summary>
    public static string Of(ImportResult result) => JsonSerializer.Serialize(result, result.GetType(), JsonSerializerOptions.Web);

    /// <summary>The API's error object for a file that was not imported, with the HTTP status that goes with it.</summary>
    public static string Error(ImportProblem problem) => JsonSerializer.Serialize(
        new { error = new { code = problem.Code, message = problem.Message, details = problem.Details }, status = problem.Status }, JsonSerializerOptions.Web);
}
