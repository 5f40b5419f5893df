namespace AdIntel.Web.Infrastructure.Memory;

/// <summary>
/// Every second in which the app did some work (a collection ran since the last trim), gives glibc's free pages back
/// (<see cref="NativeHeap.Trim"/>, a few milliseconds); an idle app is left alone.
/// </summary>
public sealed class NativeHeapTrimmer(TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!NativeHeap.CanTrim)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        var collectionsAtLastTrim = -1;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var collections = GC.CollectionCount(0);
            if (collections == collectionsAtLastTrim)
            {
                continue;
            }
            collectionsAtLastTrim = collections;
            NativeHeap.Trim();
        }
    }
}
