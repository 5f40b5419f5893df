using Hangfire;

namespace AdIntel.Web.Infrastructure.Jobs;

/// <summary>
/// Every minute, marks the imports and syncs of every store whose process stopped beating (see
/// <see cref="RunRecorder{TRun}"/>) as interrupted: with several instances sharing the jobs, one that dies leaves its runs
/// "running" until some instance notices.
/// </summary>
public sealed class StaleRunSweep(IServiceScopeFactory scopes, ILogger<StaleRunSweep> logger)
{
    public const string JobId = "runs:interrupt-stale";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var runs in scope.ServiceProvider.GetServices<IRecordedRuns>())
        {
            if (await runs.InterruptAsync(everyUnfinished: false, cancellationToken) is > 0 and var count)
            {
                logger.LogWarning("Marked {Count} {Runs} interrupted: their process stopped beating", count, runs.Name);
            }
        }
    }

    /// <summary>Registers the sweep once the app has started.</summary>
    internal sealed class Startup(IRecurringJobManager recurring) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<StaleRunSweep>(JobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
