using Hangfire;
using Hangfire.Storage;

namespace AdIntel.Web.Infrastructure.Jobs;

/// <summary>A recurring job that should exist: its id, cron and time zone, and how to register it.</summary>
public sealed record WantedRecurringJob(string Id, string Cron, TimeZoneInfo TimeZone, Action<IRecurringJobManager> Register);

/// <summary>
/// Registers one kind of recurring job per store or per schedule (syncs, report e-mails) once the app has started, in
/// the background: the app serves meanwhile. Hangfire's set of recurring jobs is read once and only the jobs that are
/// missing, or whose cron or time zone changed, are registered; with PostgreSQL storage the others are already there
/// from an earlier start, so a restart registers nothing (each registration takes a lock in Hangfire's tables, ≈ 20 ms).
/// A failure is logged, not thrown: a store's job is registered again the next time it is changed.
/// </summary>
public abstract class StoreJobsStartup(IServiceScopeFactory scopes, JobStorage storage, IRecurringJobManager recurring, ILogger logger) : BackgroundService
{
    /// <summary>What the jobs are, for the log ("sync jobs").</summary>
    protected abstract string Jobs { get; }

    /// <summary>The recurring jobs that should exist.</summary>
    protected abstract Task<List<WantedRecurringJob>> WantedAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            List<WantedRecurringJob> wanted;
            await using (var scope = scopes.CreateAsyncScope())
            {
                wanted = await WantedAsync(scope.ServiceProvider, stoppingToken);
            }
            List<WantedRecurringJob> toRegister;
            using (var connection = storage.GetConnection())
            {
                var existingIds = connection.GetAllItemsFromSet("recurring-jobs");
                var existing = connection.GetRecurringJobs(wanted.Select(w => w.Id).Where(existingIds.Contains).ToList())
                    .Where(j => !j.Removed).ToDictionary(j => j.Id);
                toRegister = wanted.Where(w => !existing.TryGetValue(w.Id, out var job) || job.Cron != w.Cron || job.TimeZoneId != w.TimeZone.Id).ToList();
            }
            foreach (var job in toRegister)
            {
                stoppingToken.ThrowIfCancellationRequested();
                job.Register(recurring);
            }
            logger.LogInformation("{Jobs}: {Registered} registered, {Unchanged} already there", Jobs, toRegister.Count, wanted.Count - toRegister.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not register the {Jobs}", Jobs);
        }
    }
}
