using AdIntel.Web.Infrastructure.Tenancy;
using Hangfire;

namespace AdIntel.Web.Imports;

/// <summary>
/// The Hangfire job of one import, whether the file came from the Imports page or the API (<see cref="ImportJobs"/>):
/// runs <see cref="ImportRunner"/> in a scope acting for the import's store. Hangfire's token cancels it when the app
/// shuts down or the job is deleted; the run then says so.
/// </summary>
public sealed class ImportJob(IServiceScopeFactory scopes)
{
    // Not retried on its own: the run records how it ended, and importing the file again is the person's call (and safe).
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long storeId, long runId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        await scope.ServiceProvider.GetRequiredService<ImportRunner>().RunAsync(runId, cancellationToken);
    }
}
