using System.Text.Json;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Settles at start what a stop without warning (kill -9, power loss, OOM) left behind: imports, rule runs and syncs
/// still "running" are marked interrupted with what to do next. (Daily facts that miss committed writes are the metrics'
/// to rebuild: see Metrics/PendingFactsRecovery.)
/// </summary>
public sealed class CrashRecovery(AdIntelDbContext db, TimeProvider time, ILogger<CrashRecovery> logger)
{
    public const string ImportInterruptedMessage =
        "The app stopped before this import finished; the rows it had written are kept. Import the file again to complete it: rows already imported are not duplicated.";

    public const string RuleRunInterruptedMessage =
        "The app stopped before this run finished. The next scheduled run evaluates the rule again; actions already taken are recorded and not repeated.";

    public const string SyncInterruptedMessage =
        "The app stopped before this sync finished; the next sync resumes from where it got to.";

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var importResult = JsonSerializer.Serialize(new { error = new { code = "interrupted", message = ImportInterruptedMessage } }, JsonSerializerOptions.Web);
        var imports = await db.ImportRuns.IgnoreQueryFilters()
            .Where(r => r.Status == ImportRunStatuses.Running || r.Status == ImportRunStatuses.Queued)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, ImportRunStatuses.Interrupted)
                .SetProperty(r => r.ResultJson, importResult)
                .SetProperty(r => r.FinishedAtUtc, now), cancellationToken);
        var ruleRuns = await db.RuleExecutions.IgnoreQueryFilters()
            .Where(e => e.Status == RuleExecutionStatuses.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, RuleExecutionStatuses.Interrupted)
                .SetProperty(e => e.Message, RuleRunInterruptedMessage)
                .SetProperty(e => e.FinishedAtUtc, now), cancellationToken);
        var syncs = await db.SyncRuns.IgnoreQueryFilters()
            .Where(r => r.Status == SyncRunStatuses.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, SyncRunStatuses.Interrupted)
                .SetProperty(r => r.Error, SyncInterruptedMessage)
                .SetProperty(r => r.FinishedAtUtc, now), cancellationToken);
        if (imports + ruleRuns + syncs > 0)
        {
            logger.LogWarning("Marked interrupted at start: {Imports} imports, {RuleRuns} rule runs, {Syncs} syncs", imports, ruleRuns, syncs);
        }

    }
}
