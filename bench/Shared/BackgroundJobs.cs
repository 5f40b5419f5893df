using System.Diagnostics;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Waits until the app's background jobs have all run (none enqueued or processing for half a second), so what a
/// warm-up or a seed set off (the LTV fit, recommendations, anomaly checks) does not run beside the measured work.
/// </summary>
internal static class BackgroundJobs
{
    public static async Task WaitUntilIdleAsync(IServiceProvider services, TimeSpan timeout)
    {
        var monitoring = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var watch = Stopwatch.StartNew();
        var idleSince = (TimeSpan?)null;
        while (true)
        {
            var statistics = monitoring.GetStatistics();
            if (statistics.Enqueued + statistics.Processing == 0)
            {
                idleSince ??= watch.Elapsed;
                if (watch.Elapsed - idleSince >= TimeSpan.FromMilliseconds(500))
                {
                    return;
                }
            }
            else
            {
                idleSince = null;
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Background jobs still running after {timeout.TotalSeconds:F0} s: {statistics.Enqueued} enqueued, {statistics.Processing} processing.");
            }
            await Task.Delay(100);
        }
    }
}
