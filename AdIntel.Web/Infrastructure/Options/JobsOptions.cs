namespace AdIntel.Web.Infrastructure.Options;

/// <summary><c>Jobs</c>: how a running import or sync shows it is alive, and when one that stopped showing it counts as dead.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>How often a running import or sync writes its heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A running import or sync whose heartbeat is older than this is stale: its process died (crash, kill, lost
    /// instance). It is marked interrupted, and a sync of the same connection may start again.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Several beats may be missed (a long write holding the database) before a live run looks dead.</summary>
    public bool IsValid() => HeartbeatInterval >= TimeSpan.FromMilliseconds(100) && StaleAfter >= 3 * HeartbeatInterval;
}
