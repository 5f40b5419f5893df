using AdIntel.Web.Demo;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Hangfire;

namespace AdIntel.Web.Composition;

/// <summary>What runs once before the app serves its first request, in order.</summary>
public static class StartupComposition
{
    public static async Task PrepareDataAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        // Instances starting together on one PostgreSQL database take turns: the first migrates and seeds, the others
        // wait, then find the schema current and the demo store there.
        await using (await app.Services.AcquireStartupLockAsync(cancellationToken))
        {
            // Migrations, then runs a stop without warning left "running" are marked interrupted.
            await app.InitializeDatabaseAsync(cancellationToken);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                // Daily facts that miss writes committed before such a stop are rebuilt before anyone reads them.
                await scope.ServiceProvider.GetRequiredService<PendingFactsRecovery>().RebuildStaleStoresAsync(cancellationToken);
            }
            await app.Services.SeedDemoStoreAsync(cancellationToken);
            // Hangfire creates or upgrades its own schema when its storage is first made: under the same lock, before the
            // pipeline's jobs dashboard or a hosted service asks for it.
            app.Services.GetRequiredService<JobStorage>();
        }
        // Seeding and rebuilding facts leave a heap sized for tens of thousands of rows; the app serves pages in a
        // fraction of it. One compacting collection hands that memory back before the first request.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
