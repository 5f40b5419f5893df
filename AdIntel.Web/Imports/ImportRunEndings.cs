using System.Collections.Concurrent;

namespace AdIntel.Web.Imports;

/// <summary>
/// Wakes an API call waiting for an import run (<see cref="ImportJobs.WaitAsync"/>) the moment the run ends on this
/// instance, instead of at its next read of the run; a run that ends on another instance is seen by that next read.
/// </summary>
public sealed class ImportRunEndings
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _waiting = new();

    /// <summary>Completes when <see cref="Ended"/> is called for the run on this instance; call <see cref="Forget"/> when done waiting.</summary>
    public Task WhenEnded(long runId) =>
        _waiting.GetOrAdd(runId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The run's ending has been written.</summary>
    public void Ended(long runId)
    {
        if (_waiting.TryRemove(runId, out var ended))
        {
            ended.TrySetResult();
        }
    }

    public void Forget(long runId) => _waiting.TryRemove(runId, out _);
}
