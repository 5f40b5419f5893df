using System.ComponentModel.DataAnnotations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Rules.Execution;

/// <summary><c>Rules:RunLog</c>: how long the rule-run log (<c>/rules/{id}/executions</c>) keeps a run.</summary>
public sealed class RuleRunLogOptions
{
    public const string SectionName = "Rules:RunLog";

    /// <summary>
    /// Days a rule run's log is kept. At least 2: a run must outlive its slot (a daily rule's is a day, 25 hours across a
    /// daylight-saving change), because the store's job knows a slot is done by its successful run.
    /// </summary>
    [Range(2, 3650)]
    public int RetentionDays { get; set; } = 30;
}

/// <summary>
/// Once a day (<c>rules:run-log-retention</c>, one occurrence across instances), deletes the rule runs that started more
/// than <see cref="RuleRunLogOptions.RetentionDays"/> ago: 1.4 KB a run, 96 runs a day per quarter-hour rule. Kept: a run
/// an action still waiting for approval points to (the queue shows why it was proposed), and a run still marked running.
/// Rule by rule, at most <see cref="BatchSize"/> rows a statement, through the runs' (store, rule, start) index: each
/// statement is its own short transaction, so the sweep never holds a long lock on the log the rule runs write to.
/// Actions keep their <see cref="ActionRecord.RuleExecutionId"/>; the run it names is gone once swept.
/// </summary>
public sealed class RuleRunLogRetention(IServiceScopeFactory scopes, IOptions<RuleRunLogOptions> options, TimeProvider time, ILogger<RuleRunLogRetention> logger)
{
    public const string JobId = "rules:run-log-retention";
    public const int BatchSize = 1000;

    /// <summary>Deletes the runs past retention; returns how many.</summary>
    [AutomaticRetry(Attempts = 2)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var rules = await db.Rules.IgnoreQueryFilters().AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.StoreId, r.Id }).ToListAsync(cancellationToken);
        var awaitingApproval = (await db.ActionRecords.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.Status == ActionStatuses.PendingApproval && a.RuleId != null && a.RuleExecutionId != null)
                .Select(a => new { RuleId = a.RuleId!.Value, RunId = a.RuleExecutionId!.Value }).ToListAsync(cancellationToken))
            .ToLookup(a => a.RuleId, a => a.RunId);
        var deleted = 0;
        foreach (var rule in rules)
        {
            var keep = awaitingApproval[rule.Id].ToList();
            int batch;
            do
            {
                var expired = db.RuleExecutions.IgnoreQueryFilters()
                    .Where(e => e.StoreId == rule.StoreId && e.RuleId == rule.Id && e.StartedAtUtc < cutoff && e.Status != RuleExecutionStatuses.Running
                        && !keep.Contains(e.Id))
                    .OrderBy(e => e.StartedAtUtc).Take(BatchSize).Select(e => e.Id);
                batch = await db.RuleExecutions.IgnoreQueryFilters().Where(e => expired.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
                deleted += batch;
            }
            while (batch == BatchSize);
        }
        logger.LogInformation("Rule-run log: {Deleted} runs older than {Days} days deleted", deleted, options.Value.RetentionDays);
        return deleted;
    }

    /// <summary>Registers the daily sweep once the app has started (04:00 UTC, a quiet hour for most stores).</summary>
    internal sealed class Startup(IRecurringJobManager recurring) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<RuleRunLogRetention>(JobId, j => j.RunAsync(CancellationToken.None), Cron.Daily(4));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
