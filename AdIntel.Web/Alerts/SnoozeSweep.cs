using Hangfire;

namespace AdIntel.Web.Alerts;

/// <summary>Every minute, opens again the snoozed alerts (of every store) whose snooze ran out.</summary>
public sealed class SnoozeSweep(IServiceScopeFactory scopes, ILogger<SnoozeSweep> logger)
{
    public const string JobId = "alerts:end-snoozes";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<AlertWriter>().ReopenExpiredSnoozesAsync(cancellationToken) is > 0 and var count)
        {
            logger.LogInformation("Opened {Count} alerts again: their snooze ran out", count);
        }
    }

    /// <summary>Registers the sweep once the app has started.</summary>
    internal sealed class Startup(IRecurringJobManager recurring) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<SnoozeSweep>(JobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
