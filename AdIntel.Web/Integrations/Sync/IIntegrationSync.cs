using AdIntel.Web.Domain;

namespace AdIntel.Web.Integrations.Sync;

/// <summary>
/// One sync of a store's data from a connected platform (Shopify's orders, Meta's ads and insights, …): everything
/// that is particular to it. <see cref="IntegrationSyncRunner"/> does the rest for every sync alike: it runs the sync only
/// while its connection is usable and one at a time per connection, records the run (<see cref="SyncRunRecorder"/>:
/// start, heartbeat, success, failure, cancellation, stale runs), rebuilds the store's daily facts when data changed,
/// and keeps the connection's last success and error. A new sync is a class implementing this, registered with
/// <see cref="IntegrationSyncServiceCollectionExtensions.AddIntegrationSync{TSync}"/>: the schedules, "Sync now" and the
/// job then run it without any change.
/// </summary>
public interface IIntegrationSync
{
    /// <summary>Names the sync in its runs (<see cref="SyncRun.Sync"/>), the log and jobs: "shopify", "meta". Unique, at most 32 characters.</summary>
    string Name { get; }

    /// <summary>The connection it reads (<see cref="IntegrationConnection.Provider"/>); "Sync now" of that connection runs it too.</summary>
    string Provider { get; }

    /// <summary>What this run will be (<see cref="SyncKinds"/>), from the connection's checkpoint and what was asked for.</summary>
    string ChooseKind(IntegrationConnection connection, SyncMode mode);

    /// <summary>
    /// Does the work: reads the platform, writes the store's data and the connection's checkpoint (its <see cref="SyncRunContext.Connection"/>
    /// and <see cref="SyncRunContext.Run"/> are tracked by the scope's context), reports its phase and counts, and calls
    /// <see cref="SyncRunContext.MarkDataChanged"/> when the store's data changed. Throws to fail the run; a cancelled
    /// token cancels it.
    /// </summary>
    Task RunAsync(SyncRunContext context, CancellationToken cancellationToken);

    /// <summary>The sentence a failure is recorded with on the run and the connection, and whether the merchant must connect again.</summary>
    SyncFailure DescribeFailure(Exception exception) => new(exception.Message, NeedsReconnect: false);
}

/// <summary>What was asked for.</summary>
public enum SyncMode
{
    /// <summary>The schedule and "Sync now": a backfill until one has completed, then what changed since.</summary>
    Auto,

    /// <summary>Everything again.</summary>
    Backfill,
}

/// <summary>The kinds of run, as stored in <see cref="SyncRun.Kind"/>.</summary>
public static class SyncKinds
{
    public const string Backfill = "backfill";
    public const string Incremental = "incremental";
}

/// <summary>How a failed sync is described to the merchant; <paramref name="NeedsReconnect"/> marks the connection "needs attention".</summary>
public sealed record SyncFailure(string Message, bool NeedsReconnect);
