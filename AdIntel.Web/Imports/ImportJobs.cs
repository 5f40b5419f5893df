using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Imports;

/// <summary>
/// The one way an import starts, for the Imports page and the API alike: the upload is stored in the database, where
/// every instance's job can read it (<see cref="ImportUploads"/>), the run recorded as queued, and an <see cref="ImportJob"/> enqueued on
/// Hangfire's critical queue. The page then polls the run; the API waits for it (<see cref="WaitAsync"/>).
/// </summary>
public sealed class ImportJobs(AdIntelDbContext db, ImportUploads uploads, ImportRunRecorder recorder, IBackgroundJobClient jobs, ImportRunEndings endings,
    TimeProvider time)
{
    private const int MaxFileNameLength = 200;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    // A waiting API call reads its run at most every 200 ms: it answers within 0.1 s of the end on average, for one
    // primary-key read per poll.
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    public async Task<ImportRun> EnqueueAsync(string kind, CsvUpload upload, CancellationToken cancellationToken)
    {
        if (!ImportKinds.IsKnown(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown import kind.");
        }
        var uploadName = await uploads.SaveAsync(upload, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var run = new ImportRun
        {
            Kind = kind,
            FileName = upload.FileName.Length <= MaxFileNameLength ? upload.FileName : upload.FileName[..MaxFileNameLength],
            FileBytes = upload.Length,
            Status = RunStatuses.Queued,
            UploadName = uploadName,
            StartedAtUtc = now,
            HeartbeatAtUtc = now,
        };
        try
        {
            db.ImportRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await uploads.DeleteAsync(uploadName, CancellationToken.None);
            throw;
        }
        db.Entry(run).State = EntityState.Detached;
        try
        {
            jobs.Create<ImportJob>(j => j.RunAsync(run.StoreId, run.Id, CancellationToken.None), new EnqueuedState(JobQueues.Critical));
        }
        catch (Exception e)
        {
            await recorder.FinishAsync(run.Id, RunStatuses.Failed, set => set
                .SetProperty(r => r.ResultJson, ImportResults.Error(new ImportProblem(503, "not_queued", "The import could not be queued; please try again.")))
                .SetProperty(r => r.UploadName, (string?)null));
            await uploads.DeleteAsync(uploadName, CancellationToken.None);
            throw new InvalidOperationException($"Import run {run.Id} could not be enqueued.", e);
        }
        return run;
    }

    /// <summary>
    /// The run once it has finished, or as it stands after <paramref name="timeout"/>: it is read again and again, so
    /// the job may run on any instance, and read at once when it ends on this one (<see cref="ImportRunEndings"/>).
    /// Cancelling stops the waiting, not the import.
    /// </summary>
    public async Task<ImportRun> WaitAsync(long runId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + timeout;
        var pause = FirstPoll;
        // Before the first read: a run that ends after it wakes the wait; one that ended before it is seen by it.
        var endedHere = endings.WhenEnded(runId);
        try
        {
            while (true)
            {
                var run = await db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
                if (RunStatuses.IsFinished(run.Status) || time.GetUtcNow() >= until)
                {
                    return run;
                }
                await Task.WhenAny(endedHere, Task.Delay(pause, time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                pause = TimeSpan.FromTicks(Math.Min(LongestPoll.Ticks, pause.Ticks * 3 / 2));
            }
        }
        finally
        {
            endings.Forget(runId);
        }
    }
}
