namespace AdIntel.Web.Domain;

/// <summary>
/// A piece of background work whose life is recorded as a row (an import, a sync): when it started, that its process is
/// still alive (<see cref="HeartbeatAtUtc"/>), and how it ended. Written by <c>Infrastructure/Jobs/RunRecorder</c> only.
/// </summary>
public interface IRecordedRun : IStoreOwned
{
    long Id { get; }
    /// <summary>One of <see cref="RunStatuses"/>.</summary>
    string Status { get; set; }
    DateTime StartedAtUtc { get; set; }
    /// <summary>Last time the process doing the work said it was alive; a running run that stops beating is stale.</summary>
    DateTime HeartbeatAtUtc { get; set; }
    DateTime? FinishedAtUtc { get; set; }
}

/// <summary>The states of a recorded run (<see cref="ImportRun"/>, <see cref="SyncRun"/>).</summary>
public static class RunStatuses
{
    /// <summary>Waiting for a worker (imports: the upload is stored and its job enqueued).</summary>
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    /// <summary>Stopped on purpose (the app shutting down, the job deleted) before it finished.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>Cut off without warning (crash, kill, a process that stopped beating); marked so afterwards.</summary>
    public const string Interrupted = "interrupted";

    public static bool IsFinished(string status) => status is Succeeded or Failed or Cancelled or Interrupted;
}

public static class RecordedRunExtensions
{
    /// <summary>Whether the run is running in a live process: its heartbeat is not older than <paramref name="staleBefore"/>.</summary>
    public static bool IsLive(this IRecordedRun run, DateTime staleBefore) => run.Status == RunStatuses.Running && run.HeartbeatAtUtc >= staleBefore;
}
